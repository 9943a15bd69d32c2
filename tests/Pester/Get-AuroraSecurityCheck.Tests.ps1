BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Get-AuroraSecurityCheck (audit catalogue)' -Tag 'None' {
    It 'lists every check with id, title, severity and recommendation' {
        $checks = Get-AuroraSecurityCheck
        $checks.Count | Should -BeGreaterOrEqual 9
        $checks[0].GetType().FullName | Should -Be 'AuroraSecurity.Audit.SecurityCheck'
        $checks.Id | Should -Contain 'AURSEC-TLS-001'
        ($checks.Id | Select-Object -Unique).Count | Should -Be $checks.Count
        foreach ($check in $checks) {
            $check.Title | Should -Not -BeNullOrEmpty
            $check.Recommendation | Should -Not -BeNullOrEmpty
            $check.Severity | Should -BeIn 'High', 'Medium', 'Low'
        }
        ($checks | Where-Object Id -eq 'AURSEC-ENC-001').Severity | Should -Be 'High'
    }

    It 'selects checks by id, ignoring case, and from the pipeline' {
        (Get-AuroraSecurityCheck -CheckId aursec-cfg-001).Title | Should -Match 'custom cluster parameter group'
        ('AURSEC-TLS-001', 'AURSEC-IAM-001' | Get-AuroraSecurityCheck).Id | Should -Be @('AURSEC-TLS-001', 'AURSEC-IAM-001')
        ([pscustomobject]@{ CheckId = 'AURSEC-TLS-006' } | Get-AuroraSecurityCheck).Id | Should -Be 'AURSEC-TLS-006'
    }

    It 'reports an unknown id as an error that lists the valid ones' {
        Get-AuroraSecurityCheck -CheckId AURSEC-NOPE-001 -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'SecurityCheckUnknown*'
        $problems[0].Exception.Message | Should -Match 'AURSEC-TLS-001'
    }

    It 'writes recommendations a user can read: <cluster>, never a raw {0}' {
        foreach ($check in Get-AuroraSecurityCheck) {
            $check.Recommendation | Should -Not -Match '\{\d\}'
        }
        (Get-AuroraSecurityCheck -CheckId AURSEC-TLS-001).Recommendation | Should -Be 'Enable-AuroraSecureTransport -ClusterIdentifier <cluster>'
    }

    It 'shows Id, Severity, Title and References in a table' {
        $text = Get-AuroraSecurityCheck -CheckId AURSEC-BAK-001 | Out-String -Width 200
        $text | Should -Match 'Id\s+Severity\s+Title\s+References'
        $text | Should -Match 'AURSEC-BAK-001\s+Medium\s+Deletion protection is enabled\s+FSBP RDS.7; Prowler rds_cluster_deletion_protection'
        Get-Command Get-AuroraSecurityCheck | Should -HaveParameter CheckId -Type 'string[]'
        Get-Command Get-AuroraSecurityCheck | Should -HaveParameter Framework -Type 'string'
    }

    It 'has at least 28 checks over the guide''s three levels and the control plane' {
        $checks = Get-AuroraSecurityCheck
        $checks.Count | Should -BeGreaterOrEqual 28
        foreach ($area in 'TLS', 'NET', 'ENC', 'BAK', 'LOG', 'IAM', 'MNT', 'CFG') {
            $checks.Id | Where-Object { $_ -like "AURSEC-$area-*" } | Should -Not -BeNullOrEmpty -Because "the $area area has checks"
        }
    }

    It 'filters by framework and shows each check''s references' {
        $fsbp = Get-AuroraSecurityCheck -Framework FSBP
        $fsbp.Id | Should -Contain 'AURSEC-TLS-008'
        $fsbp.Id | Should -Not -Contain 'AURSEC-TLS-001'
        foreach ($check in $fsbp) { $check.References.Framework | Should -Contain 'FSBP' }
        (Get-AuroraSecurityCheck -Framework CIS).Id | Should -Be @('AURSEC-ENC-001', 'AURSEC-NET-001', 'AURSEC-MNT-001')
        (Get-AuroraSecurityCheck -Framework Prowler -CheckId AURSEC-IAM-002).ReferenceText | Should -Be 'FSBP RDS.24; Prowler rds_cluster_default_admin'
        $cis = (Get-AuroraSecurityCheck -CheckId AURSEC-NET-001).References | Where-Object Framework -eq CIS
        "$($cis.Id) $($cis.Version)" | Should -Be '2.3.3 v3.0.0'
        { Get-AuroraSecurityCheck -Framework NIST } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
    }

    It 'matches the check table in README.md, which the build writes from the catalogue' {
        Import-Module (Join-Path $PSScriptRoot '../../build/CheckTable.psm1') -Force
        $readme = Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw
        Get-CheckTableText -Readme $readme | Should -Be (ConvertTo-CheckTable -Checks @(Get-AuroraSecurityCheck)) -Because 'the build regenerates the table; commit README.md after building'
    }
}

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

    It 'shows Id, Severity, Title and Recommendation in a table' {
        (Get-AuroraSecurityCheck -CheckId AURSEC-TLS-001 | Out-String -Width 200) | Should -Match 'Id\s+Severity\s+Title\s+Recommendation'
        Get-Command Get-AuroraSecurityCheck | Should -HaveParameter CheckId -Type 'string[]'
    }
}

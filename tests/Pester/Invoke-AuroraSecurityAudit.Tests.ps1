BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
    $script:CheckCount = @(Get-AuroraSecurityCheck).Count

    # Runs the shipped compliance pack in a child PowerShell (a Pester run cannot host another in-process) and
    # returns one object per test: Name, Result, Message.
    function Invoke-CompliancePack([hashtable] $Data) {
        $pack = Join-Path (Split-Path $ModuleManifest) 'compliance/AuroraSecurity.Compliance.Tests.ps1'
        $dataFile = Join-Path ([IO.Path]::GetTempPath()) "aurora-pack-$([guid]::NewGuid()).json"
        $Data | ConvertTo-Json -Depth 5 | Set-Content $dataFile
        $child = @'
param($PesterManifest, $ModuleManifest, $Pack, $DataFile)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest
Import-Module $ModuleManifest
$raw = Get-Content $DataFile -Raw | ConvertFrom-Json
$data = @{ ClusterIdentifier = [string[]]$raw.ClusterIdentifier; AwsParameters = @{} }
foreach ($p in $raw.AwsParameters.PSObject.Properties) { $data.AwsParameters[$p.Name] = $p.Value }
$run = Invoke-Pester -Container (New-PesterContainer -Path $Pack -Data $data) -PassThru -Output None
$run.Tests | ForEach-Object { [pscustomobject]@{ Name = $_.ExpandedName; Result = [string]$_.Result; Message = [string]$_.ErrorRecord.Exception.Message } } | ConvertTo-Json -Depth 3 -AsArray
'@
        $script = Join-Path ([IO.Path]::GetTempPath()) "aurora-pack-$([guid]::NewGuid()).ps1"
        Set-Content $script $child
        try {
            $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
            $arguments = @('-NoProfile', '-NonInteractive', '-File', $script, (Get-Module Pester).Path, $ModuleManifest, $pack, $dataFile)
            $output = if (Test-Path $pwsh) { & $pwsh @arguments } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') @arguments }
            ($output -join "`n") | ConvertFrom-Json
        }
        finally {
            Remove-Item $script, $dataFile -ErrorAction SilentlyContinue
        }
    }
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Invoke-AuroraSecurityAudit' {
    It 'returns one finding per check for every Aurora MySQL cluster of the region' {
        $findings = Invoke-AuroraSecurityAudit @Aws
        $findings.Count | Should -Be (5 * $CheckCount)
        $findings[0].GetType().FullName | Should -Be 'AuroraSecurity.Audit.Finding'
        $findings | Group-Object ClusterIdentifier, CheckId | Where-Object Count -ne 1 | Should -BeNullOrEmpty
        ($findings.ClusterIdentifier | Select-Object -Unique) | Should -Be @('analytics', 'billing', 'inventory', 'legacy', 'orders')
        $findings | Where-Object ClusterIdentifier -eq analytics | Where-Object Status -ne Pass | Should -BeNullOrEmpty
        $tls = $findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-001' }
        $tls.Status | Should -Be 'Fail'
        $tls.Severity | Should -Be 'High'
        $tls.Recommendation | Should -Be 'Enable-AuroraSecureTransport -ClusterIdentifier legacy'
        $tls.Timestamp.Kind | Should -Be 'Utc'
    }

    It 'shows ClusterIdentifier, CheckId, Status, Severity and Title in a table' {
        $text = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-TLS-002 @Aws | Out-String -Width 200
        $text | Should -Match 'ClusterIdentifier\s+CheckId\s+Status\s+Severity\s+Title'
        $text | Should -Match 'legacy\s+AURSEC-TLS-002\s+Fail\s+Medium\s+TLS 1.0 and 1.1 are not allowed'
    }

    It 'round-trips findings through Export-Csv and ConvertTo-Json' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, analytics @Aws
        $csv = Join-Path $TestDrive 'findings.csv'
        $findings | Export-Csv $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows.Count | Should -Be $findings.Count
        $rows[0].PSObject.Properties.Name | Should -Contain 'Reason'
        ($rows | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-006' }).Status | Should -Be 'Fail'
        ($rows | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-006' }).Reason | Should -Match 'rds-ca-2019'

        $json = $findings | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json
        $json.Count | Should -Be $findings.Count
        $back = $json | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-002' }
        $back.Status | Should -Be 'Fail'
        $back.Severity | Should -Be 'Medium'
        $back.Recommendation | Should -Be 'Set-AuroraTlsVersion -ClusterIdentifier legacy -TlsVersion TLSv1.2'
        $back.DBClusterArn | Should -Be 'arn:aws:rds:us-east-1:123456789012:cluster:legacy'
        ([datetime]$back.Timestamp).ToUniversalTime() | Should -Be ($findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-002' }).Timestamp
    }

    It 'takes clusters from Get-AuroraCluster, from strings and from objects with DBClusterArn' {
        $fromCluster = Get-AuroraCluster -ClusterIdentifier orders @Aws | Invoke-AuroraSecurityAudit @Aws
        $fromCluster.Count | Should -Be $CheckCount
        ($fromCluster.ClusterIdentifier | Select-Object -Unique) | Should -Be 'orders'
        ('legacy', 'analytics' | Invoke-AuroraSecurityAudit -CheckId AURSEC-ENC-001 @Aws).ClusterIdentifier | Should -Be @('legacy', 'analytics')
        ([pscustomobject]@{ DBClusterArn = 'arn:aws:rds:us-east-1:123456789012:cluster:billing' } | Invoke-AuroraSecurityAudit -CheckId AURSEC-IAM-001 @Aws).Status | Should -Be 'Fail'
    }

    It 'runs only the checks asked for' {
        $findings = Invoke-AuroraSecurityAudit -CheckId AURSEC-IAM-001, aursec-enc-001 @Aws
        $findings.Count | Should -Be 10
        ($findings.CheckId | Select-Object -Unique) | Should -Be @('AURSEC-IAM-001', 'AURSEC-ENC-001')
    }

    It 'stops on an unknown check id and names the valid ones' {
        { Invoke-AuroraSecurityAudit -CheckId AURSEC-NOPE-001 @Aws } | Should -Throw -ExpectedMessage '*AURSEC-TLS-001*'
    }

    It 'reports a cluster it cannot find as an error and audits the others' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier nope, analytics @Aws -ErrorAction SilentlyContinue -ErrorVariable problems
        $findings.Count | Should -Be $CheckCount
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ClusterNotFound*'
        $problems[0].TargetObject | Should -Be 'nope'
    }

    It 'audits nothing for an empty pipeline' {
        @() | Invoke-AuroraSecurityAudit @Aws | Should -BeNullOrEmpty
    }

    It 'finds the control-plane problems of the seed fleet, naming the resource' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier billing, legacy @Aws
        $open = $findings | Where-Object { $_.ClusterIdentifier -eq 'billing' -and $_.CheckId -eq 'AURSEC-NET-002' }
        $open.Status | Should -Be 'Fail'
        $open.Reason | Should -Match 'sg-0b1111b1111b1111b \(billing-vendor-access\): tcp 3300-3310 from 0\.0\.0\.0/0'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'billing' -and $_.CheckId -eq 'AURSEC-ENC-003' }).Reason | Should -Match 'billing-month-end'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'billing' -and $_.CheckId -eq 'AURSEC-TLS-008' }).Recommendation | Should -Be 'Edit-RDSDBProxy -DBProxyName billing-proxy -RequireTLS $true'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-007' }).Reason | Should -Match 'rds-ca-2019, retired by AWS'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-NET-003' }).Status | Should -Be 'Warning'
    }

    It 'takes the backup retention threshold as a parameter' {
        (Invoke-AuroraSecurityAudit -ClusterIdentifier orders -CheckId AURSEC-BAK-002 @Aws).Status | Should -Be 'Pass'
        $strict = Invoke-AuroraSecurityAudit -ClusterIdentifier orders -CheckId AURSEC-BAK-002 -MinimumBackupRetentionDays 10 @Aws
        $strict.Status | Should -Be 'Fail'
        $strict.Reason | Should -Match 'fewer than 10'
        $strict.Recommendation | Should -Match '-BackupRetentionPeriod 10'
    }

    It 'has the parameters of a read-only fleet cmdlet' {
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter ClusterIdentifier -Type 'string[]'
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter CheckId -Type 'string[]'
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter ThrottleLimit -Type int
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter MinimumBackupRetentionDays -Type int
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter EndpointUrl
        (Get-Command Invoke-AuroraSecurityAudit).Parameters.Keys | Should -Not -Contain 'WhatIf'
    }
}

Describe 'Invoke-AuroraSecurityAudit compliance pack' {
    It 'ships in the module folder' {
        Join-Path (Split-Path $ModuleManifest) 'compliance/AuroraSecurity.Compliance.Tests.ps1' | Should -Exist
    }

    It 'fails the tests of legacy''s failing checks and passes analytics'' checks' {
        $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('legacy', 'analytics'); AwsParameters = $Aws })
        $tests.Count | Should -Be (2 * $CheckCount)
        $legacyTransport = $tests | Where-Object Name -eq 'legacy AURSEC-TLS-001 Connections must use TLS (require_secure_transport)'
        $legacyTransport.Result | Should -Be 'Failed'
        $legacyTransport.Message | Should -Match 'require_secure_transport is OFF'
        $legacyTransport.Message | Should -Match 'Recommendation: Enable-AuroraSecureTransport -ClusterIdentifier legacy'
        foreach ($check in 'AURSEC-TLS-002', 'AURSEC-TLS-003', 'AURSEC-TLS-006', 'AURSEC-IAM-001') {
            ($tests | Where-Object Name -like "legacy $check *").Result | Should -Be 'Failed' -Because $check
        }
        ($tests | Where-Object Name -like 'legacy AURSEC-TLS-004 *').Result | Should -Be 'Skipped' -Because 'DHE is not a finding where ECDHE does not exist'
        ($tests | Where-Object Name -like 'legacy AURSEC-ENC-001 *').Result | Should -Be 'Passed'
        $tests | Where-Object Name -like 'analytics *' | Where-Object Result -ne 'Passed' | Should -BeNullOrEmpty
    }

    It 'shows, for every check, a cluster of the fleet that passes and one that does not' {
        $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('analytics', 'billing', 'inventory', 'legacy', 'orders'); AwsParameters = $Aws })
        $tests.Count | Should -Be (5 * $CheckCount)
        # Storage encryption holds on the whole seed fleet; its failing case is covered by the unencrypted-storage tests.
        foreach ($check in (Get-AuroraSecurityCheck).Id | Where-Object { $_ -notin 'AURSEC-ENC-001', 'AURSEC-TLS-005' }) {
            $results = @($tests | Where-Object Name -like "* $check *").Result
            $results | Should -Contain 'Passed' -Because "some cluster passes $check"
            @($results | Where-Object { $_ -in 'Failed', 'Inconclusive' }) | Should -Not -BeNullOrEmpty -Because "some cluster fails $check"
        }
        ($tests | Where-Object Name -like 'billing AURSEC-NET-001 *').Message | Should -Match 'billing-2'
        ($tests | Where-Object Name -like 'inventory AURSEC-ENC-002 *').Result | Should -Be 'Skipped' -Because 'a cluster without manual snapshots has none to check'
    }

    It 'reports a Warning as inconclusive and a missing cluster as a failed test' {
        $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('inventory', 'nope'); AwsParameters = $Aws })
        ($tests | Where-Object Name -like 'inventory AURSEC-TLS-002 *').Result | Should -Be 'Inconclusive'
        $missing = $tests | Where-Object Name -eq 'audits nope'
        $missing.Result | Should -Be 'Failed'
        $missing.Message | Should -Match "No DB cluster named 'nope'"
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
    $script:CheckCount = @(Get-AuroraSecurityCheck).Count

    function Get-RequestCount { @(Get-RdsDoubleRequests $Double).Count }
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'New-AuroraSecurityBaseline' -Tag 'RdsDouble' {
    It 'writes a commented starting file that reads back as the defaults' {
        $path = Join-Path $TestDrive 'aurora-baseline.psd1'
        $file = New-AuroraSecurityBaseline -Path $path
        $file.FullName | Should -Be $path
        $text = Get-Content $path -Raw
        $text | Should -Match '# .*CA certificate'
        $text | Should -Match 'CertificateWarningDays = 30'
        $text | Should -Match "AllowedTlsVersions = @\('TLSv1.2'\)"
        $text | Should -Match 'AllowedCidrs = @\(\)'
        $settings = (Import-PowerShellDataFile $path).Settings
        $settings.CertificateWarningDays | Should -Be 30
        $settings.MinimumBackupRetentionDays | Should -Be 7
        $settings.EngineSupportWarningDays | Should -Be 180
        $settings.AllowedTlsVersions | Should -Be 'TLSv1.2'
        $withBaseline = Invoke-AuroraSecurityAudit -Baseline $path @Aws
        $without = Invoke-AuroraSecurityAudit @Aws
        # Findings stream per cluster as each is done, so compare them in one order.
        $withBaseline.Count | Should -BeGreaterThan 0
        ($withBaseline | ForEach-Object { "$_ $($_.Reason)" } | Sort-Object) | Should -Be ($without | ForEach-Object { "$_ $($_.Reason)" } | Sort-Object)
    }

    It 'does not replace a file without -Force and writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'kept.psd1'
        Set-Content $path '@{}'
        { New-AuroraSecurityBaseline -Path $path } | Should -Throw -ExpectedMessage '*-Force*'
        Get-Content $path | Should -Be '@{}'
        New-AuroraSecurityBaseline -Path (Join-Path $TestDrive 'whatif.psd1') -WhatIf
        Join-Path $TestDrive 'whatif.psd1' | Should -Not -Exist
        (New-AuroraSecurityBaseline -Path $path -Force).Length | Should -BeGreaterThan 100
    }
}

Describe 'Invoke-AuroraSecurityAudit -Baseline' -Tag 'RdsDouble' {
    It 'suppresses a finding with its justification and keeps the real status' {
        $path = Join-Path $TestDrive 'suppress.psd1'
        Set-Content $path @'
@{
    Suppressions = @(
        @{ CheckId = 'AURSEC-TLS-002'; Cluster = 'leg*'; Justification = 'A vendor client needs TLS 1.1 until March.'; Expires = '2099-03-31' }
    )
}
'@
        $findings = Invoke-AuroraSecurityAudit -Baseline $path @Aws
        $findings.Count | Should -Be (5 * $CheckCount)
        $suppressed = $findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-002' }
        $suppressed.Status | Should -Be 'Suppressed'
        $suppressed.SuppressedStatus | Should -Be 'Fail'
        $suppressed.Justification | Should -Be 'A vendor client needs TLS 1.1 until March.'
        $suppressed.SuppressionExpires | Should -Be ([datetime]'2099-03-31')
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'billing' -and $_.CheckId -eq 'AURSEC-TLS-002' }).Status | Should -Be 'Fail' -Because 'the pattern does not cover billing'

        $asff = (($suppressed | ConvertTo-AuroraAsff) | ConvertFrom-Json -DateKind String).Findings[0]
        $asff.Compliance.Status | Should -Be 'FAILED'
        $asff.Workflow.Status | Should -Be 'SUPPRESSED'
        $asff.Note.Text | Should -Match 'vendor client'
    }

    It 'judges TLS versions, ciphers and the networks that reach the port by the baseline''s allowed values' {
        $path = Join-Path $TestDrive 'allowed.psd1'
        Set-Content $path @'
@{
    Settings = @{ AllowedCidrs = @('10.20.0.0/16', 'fd00:20::/56') }
    Scopes   = @(
        @{ Name = 'legacy'; Cluster = 'legacy'; Settings = @{ AllowedTlsVersions = @('TLSv1', 'TLSv1.1', 'TLSv1.2') } }
        @{ Name = 'analytics'; Cluster = 'analytics'; Settings = @{ AllowedCiphers = @('ECDHE-RSA-AES256-GCM-SHA384') } }
        @{ Name = 'vendor'; Cluster = 'billing'; Settings = @{ AllowedCidrs = @('0.0.0.0/0') } }
    )
}
'@
        $checks = 'AURSEC-TLS-002', 'AURSEC-TLS-003', 'AURSEC-NET-002'
        $clusters = 'legacy', 'analytics', 'orders'
        $plain = @{}; Invoke-AuroraSecurityAudit -ClusterIdentifier ($clusters + 'billing') -CheckId $checks @Aws | ForEach-Object { $plain["$($_.ClusterIdentifier) $($_.CheckId)"] = $_ }
        $team = @{}; Invoke-AuroraSecurityAudit -ClusterIdentifier ($clusters + 'billing') -CheckId $checks -Baseline $path @Aws | ForEach-Object { $team["$($_.ClusterIdentifier) $($_.CheckId)"] = $_ }

        $plain['legacy AURSEC-TLS-002'].Status | Should -Be 'Fail'
        $team['legacy AURSEC-TLS-002'].Status | Should -Be 'Pass'
        $team['legacy AURSEC-TLS-002'].Reason | Should -Match 'AllowedTlsVersions'
        $team['orders AURSEC-TLS-002'].Status | Should -Be $plain['orders AURSEC-TLS-002'].Status -Because 'the scope names legacy only'

        $plain['analytics AURSEC-TLS-003'].Status | Should -Be 'Pass'
        $team['analytics AURSEC-TLS-003'].Status | Should -Be 'Fail'
        $team['analytics AURSEC-TLS-003'].Reason | Should -Match 'ECDHE-RSA-AES128-GCM-SHA256'
        $team['analytics AURSEC-TLS-003'].Recommendation | Should -Match '-Cipher ECDHE-RSA-AES256-GCM-SHA384$'

        # analytics admits its port from 10.20.0.0/16 and fd00:20::/56 only; orders' rules are its application subnet.
        $team['analytics AURSEC-NET-002'].Status | Should -Be 'Pass'
        $team['analytics AURSEC-NET-002'].Reason | Should -Match 'AllowedCidrs'
        $plain['legacy AURSEC-NET-002'].Status | Should -Be 'Fail'
        $team['legacy AURSEC-NET-002'].Status | Should -Be 'Fail'
        $team['legacy AURSEC-NET-002'].Reason | Should -Match 'outside the baseline''s AllowedCidrs'
        $plain['billing AURSEC-NET-002'].Status | Should -Be 'Fail'
        $team['billing AURSEC-NET-002'].Status | Should -Be 'Pass' -Because 'its scope allows the whole internet on purpose (the vendor access)'
    }

    It 'stops suppressing when the suppression has expired, and says so' {
        $path = Join-Path $TestDrive 'expired.json'
        Set-Content $path '{ "Suppressions": [ { "CheckId": "AURSEC-TLS-001", "Tag": "environment=dev", "Justification": "Migration window", "Expires": "2020-01-31" } ] }'
        $finding = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-TLS-001 -Baseline $path @Aws
        $finding.Status | Should -Be 'Fail'
        $finding.SuppressedStatus | Should -BeNullOrEmpty
        $finding.Reason | Should -Match 'suppression of this finding expired on 2020-01-31'
        $finding.Reason | Should -Match 'Migration window'
    }

    It 'switches checks off with a reason, for all clusters or per tag scope' {
        $path = Join-Path $TestDrive 'scopes.psd1'
        Set-Content $path @'
@{
    DisabledChecks = @{ 'AURSEC-ENC-001' = 'Encryption is reviewed by the storage team.' }
    Scopes         = @(
        @{ Name = 'development'; Tag = 'environment=dev'; DisabledChecks = @{ 'AURSEC-IAM-001' = 'Development uses passwords.' } }
        @{ Name = 'orders only'; Cluster = 'orders'; Settings = @{ CertificateWarningDays = 60 } }
    )
}
'@
        $findings = Invoke-AuroraSecurityAudit -Baseline $path @Aws
        $findings | Where-Object CheckId -eq 'AURSEC-ENC-001' | Where-Object Status -ne 'NotApplicable' | Should -BeNullOrEmpty
        ($findings | Where-Object CheckId -eq 'AURSEC-ENC-001')[0].Reason | Should -Match 'Encryption is reviewed by the storage team'
        $iam = $findings | Where-Object CheckId -eq 'AURSEC-IAM-001'
        ($iam | Where-Object ClusterIdentifier -eq 'legacy').Status | Should -Be 'NotApplicable' -Because 'legacy carries environment=dev'
        ($iam | Where-Object ClusterIdentifier -eq 'legacy').Reason | Should -Match "scope 'development': Development uses passwords"
        ($iam | Where-Object ClusterIdentifier -eq 'billing').Status | Should -Be 'Fail' -Because 'billing has no dev tag'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'orders' -and $_.CheckId -eq 'AURSEC-TLS-006' }).Reason | Should -Match 'more than 60 days'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'billing' -and $_.CheckId -eq 'AURSEC-TLS-006' }).Reason | Should -Match 'more than 30 days'
    }

    It 'refuses a malformed baseline before any request, naming the file, the key and the problem' -ForEach @(
        @{ Text = "@{ Settings = @{ CertificateWarningDays = 'soon' } }"; Key = 'Settings.CertificateWarningDays'; Problem = 'whole number' }
        @{ Text = "@{ Suppressions = @( @{ CheckId = 'AURSEC-TLS-001'; Cluster = '*'; Justification = 'x'; Expires = '31/12/2026' } ) }"; Key = 'Suppressions\[0\].Expires'; Problem = 'yyyy-MM-dd' }
        @{ Text = "@{ Suppressions = @( @{ CheckId = 'AURSEC-NOPE-001'; Cluster = '*'; Justification = 'x'; Expires = '2099-01-01' } ) }"; Key = 'Suppressions\[0\].CheckId'; Problem = 'no check' }
        @{ Text = "@{ Suppressions = @( @{ CheckId = 'AURSEC-TLS-001'; Justification = 'x'; Expires = '2099-01-01' } ) }"; Key = 'Suppressions\[0\]'; Problem = 'which clusters' }
        @{ Text = "@{ DisabledChecks = @{ 'AURSEC-TLS-001' = '' } }"; Key = 'DisabledChecks.AURSEC-TLS-001'; Problem = 'reason' }
        @{ Text = "@{ Setings = @{} }"; Key = 'Setings'; Problem = 'not a key' }
        @{ Text = "@{ Settings = @{ CertificateWarningDays = (Get-Date).Day } }"; Key = ''; Problem = 'constant' }
    ) {
        $path = Join-Path $TestDrive "bad-$([guid]::NewGuid()).psd1"
        Set-Content $path $Text
        $before = Get-RequestCount
        { Invoke-AuroraSecurityAudit -Baseline $path @Aws } | Should -Throw -ExpectedMessage "*$path*"
        try { Invoke-AuroraSecurityAudit -Baseline $path @Aws } catch { $message = $_.Exception.Message; $id = $_.FullyQualifiedErrorId }
        $message | Should -Match ([regex]::Escape($path))
        $message | Should -Match $Key
        $message | Should -Match $Problem
        $id | Should -BeLike 'BaselineInvalid*'
        Get-RequestCount | Should -Be $before -Because 'a malformed baseline is refused before any request'
    }

    It 'refuses JSON that is not JSON with the line and column' {
        $path = Join-Path $TestDrive 'broken.json'
        Set-Content $path "{`n  ""Settings"": { ""CertificateWarningDays"": 30, }`n}"
        { Invoke-AuroraSecurityAudit -Baseline $path @Aws } | Should -Throw -ExpectedMessage '*line 2, column*'
    }

    It 'is honoured by the compliance pack' {
        $path = Join-Path $TestDrive 'pack.psd1'
        Set-Content $path "@{ Suppressions = @( @{ CheckId = 'AURSEC-IAM-001'; Cluster = 'billing'; Justification = 'Passwords until Q3.'; Expires = '2099-09-30' } ) }"
        $pack = Join-Path (Split-Path $ModuleManifest) 'compliance/AuroraSecurity.Compliance.Tests.ps1'
        $child = Join-Path $TestDrive 'pack.ps1'
        Set-Content $child @"
Import-Module '$((Get-Module Pester).Path)'
Import-Module '$ModuleManifest'
`$aws = @{ EndpointUrl = '$($Aws.EndpointUrl)'; Region = 'us-east-1'; AccessKey = '$($Aws.AccessKey)'; SecretKey = '$($Aws.SecretKey)' }
`$run = Invoke-Pester -Container (New-PesterContainer -Path '$pack' -Data @{ ClusterIdentifier = 'billing'; CheckId = 'AURSEC-IAM-001'; AwsParameters = `$aws; Baseline = '$path' }) -PassThru -Output None
`$run.Tests | ForEach-Object { "`$(`$_.Result)|`$(`$_.ErrorRecord)|`$(`$_.Block.ExpandedName) `$(`$_.ExpandedName)" }
"@
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $output = if (Test-Path $pwsh) { & $pwsh -NoProfile -NonInteractive -File $child } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $child }
        $line = @($output | Where-Object { $_ -like '*|billing AURSEC-IAM-001*' })
        $line.Count | Should -Be 1
        $line[0] | Should -BeLike 'Skipped|*'
    }
}

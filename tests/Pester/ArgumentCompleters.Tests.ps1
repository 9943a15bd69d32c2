# Tab completion as a user gets it (TabExpansion2), for every completer the module registers.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
    $script:AwsLine = "-EndpointUrl $($Aws.EndpointUrl) -Region us-east-1 -AccessKey $($Aws.AccessKey) -SecretKey '$($Aws.SecretKey)'"
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Argument completers' -Tag 'RdsDouble' {
    It 'completes -CheckId from the audit catalogue' {
        $ids = @((Get-AuroraSecurityCheck).Id)
        $tls = @($ids | Where-Object { $_ -like 'AURSEC-TLS-00*' } | Sort-Object)
        $tls | Should -Contain 'AURSEC-TLS-006'
        Complete 'Get-AuroraSecurityCheck -CheckId AURSEC-TLS-00' | Should -Be $tls
        $iam = @($ids | Where-Object { $_ -like 'AURSEC-IAM-*' } | Sort-Object)
        $iam | Should -Contain 'AURSEC-IAM-001'
        Complete 'Invoke-AuroraSecurityAudit -CheckId aursec-iam' | Should -Be $iam
    }

    It 'completes every cipher parameter with the ciphers Aurora MySQL accepts' {
        (Complete 'Set-AuroraCipherSuite -Cipher ').Count | Should -Be 12
        Complete 'Set-AuroraCipherSuite -Cipher ECDHE-RSA-AES256-G' | Should -Be 'ECDHE-RSA-AES256-GCM-SHA384'
        Complete 'Test-AuroraTlsEndpoint -Endpoint localhost -TlsCipherSuite DHE-RSA-AES128-S' | Should -Be @('DHE-RSA-AES128-SHA', 'DHE-RSA-AES128-SHA256')
        Complete 'Connect-AuroraMySql -Endpoint localhost -TlsCipherSuite *GCM*' | Should -HaveCount 4
    }

    It 'completes -EngineVersion and -Family' {
        Complete 'Get-AuroraSupportedCipher -EngineVersion 8.0.mysql_aurora.3.0' | Should -Contain '8.0.mysql_aurora.3.05.2'
        Complete 'Get-AuroraSupportedCipher -EngineVersion 5.7' | ForEach-Object { $_ | Should -BeLike '5.7.mysql_aurora.2.*' }
        Complete 'Get-AuroraEngineDefaultParameter -Family aurora-my' | Should -Be @('aurora-mysql8.0', 'aurora-mysql5.7')
    }

    It 'completes -Region with the regions of every partition' {
        $regions = Complete 'Get-AuroraCluster -Region '
        $regions | Should -Contain 'eu-west-1'
        $regions | Should -Contain 'cn-north-1'
        $regions | Should -Contain 'us-gov-west-1'
        Complete 'Get-AuroraTlsConfig -Region eu-west-' | ForEach-Object { $_ | Should -BeLike 'eu-west-*' }
    }

    It 'completes -ProfileName from the profile file on the command line' {
        $file = Join-Path $TestDrive 'credentials'
        Set-Content $file "[alpha]`naws_access_key_id = AKIDALPHA`naws_secret_access_key = a`n[beta team]`naws_access_key_id = AKIDBETA`naws_secret_access_key = b`n"
        Complete "Get-AuroraCluster -ProfileLocation $file -ProfileName " | Should -Be @('alpha', "'beta team'")
        Complete "Get-AuroraCluster -ProfileLocation $file -ProfileName al" | Should -Be 'alpha'
    }

    It 'completes -ClusterIdentifier from RDS with the command line''s own AWS parameters, and reads RDS once a minute at most' {
        Invoke-RestMethod -Method Post -Uri ($Double.Endpoint + '_double/requests/clear') | Out-Null
        Complete "Get-AuroraTlsConfig $AwsLine -ClusterIdentifier " | Should -Be @('analytics', 'billing', 'inventory', 'legacy', 'orders')
        Complete "Enable-AuroraSecureTransport $AwsLine -ClusterIdentifier or" | Should -Be 'orders'
        Complete "Get-AuroraConnectionGuide $AwsLine -ClusterIdentifier leg" | Should -Be 'legacy'
        $calls = @(Get-RdsDoubleRequests $Double | Where-Object { $_.action -eq 'DescribeDBClusters' })
        $calls.Count | Should -Be 1 -Because 'the listing is cached briefly'
    }

    It 'completes nothing, quickly and without prompting, when AWS cannot be reached' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Complete "Get-AuroraTlsConfig -EndpointUrl http://127.0.0.1:9 -Region us-east-1 -AccessKey AKIDNONE -SecretKey none -ClusterIdentifier " | Should -BeNullOrEmpty
        Complete "Get-AuroraTlsConfig -ProfileName no-such-profile-here -Region us-east-1 -ClusterIdentifier " | Should -BeNullOrEmpty
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
    }
}

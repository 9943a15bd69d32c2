BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
    # Shaped like AWS.Tools' Get-RDSDBCluster output (Amazon.RDS.Model.DBCluster): the properties that matter here.
    function New-RdsDbCluster([string] $Id, [string] $Engine = 'aurora-mysql') {
        [pscustomobject]@{
            DBClusterIdentifier         = $Id
            DBClusterArn                = "arn:aws:rds:us-east-1:123456789012:cluster:$Id"
            Engine                      = $Engine
            EngineVersion               = '5.7.mysql_aurora.2.11.2'
            DBClusterParameterGroup     = 'shared-aurora-mysql57'
            Status                      = 'available'
        }
    }
}

AfterAll {
    Stop-RdsDouble $Double
    Remove-Variable -Scope Global -Name StoredAWSRegion, StoredAWSCredentials -ErrorAction SilentlyContinue
}

Describe 'Get-AuroraTlsConfig' -Tag 'RdsDouble' {
    It 'says with -Verbose what it reads and where each value came from' {
        $said = @(Get-AuroraTlsConfig -ClusterIdentifier legacy, orders @Aws -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $said | Should -Contain 'Reading legacy, orders in us-east-1 (DescribeDBClusters).'
        ($said -join "`n") | Should -Match 'from 2 cluster parameter group\(s\) of 2 cluster\(s\) \(DescribeDBClusterParameters, once per group\)'
        ($said | Where-Object { $_ -like 'legacy:*' }) | Should -Match "^legacy: group 'legacy-aurora-mysql57'; require_secure_transport .*; tls_version TLSv1,TLSv1.1,TLSv1.2 \("
        ($said | Where-Object { $_ -like 'orders:*' }) | Should -Match 'tls_version the engine default'
    }

    It 'reads every Aurora MySQL cluster and skips other engines' {
        $all = Get-AuroraTlsConfig @Aws
        $all.ClusterIdentifier | Should -Be @('analytics', 'billing', 'inventory', 'legacy', 'orders')
        $all[0].GetType().FullName | Should -Be 'AuroraSecurity.Clusters.AuroraTlsConfig'
    }

    It 'reports require_secure_transport, tls_version and ssl_cipher with their sources' {
        $analytics = Get-AuroraTlsConfig -ClusterIdentifier analytics @Aws
        $analytics.RequireSecureTransport | Should -BeTrue
        $analytics.RequireSecureTransportSource | Should -Be 'user'
        $analytics.TlsVersion | Should -BeNullOrEmpty -Because 'Aurora MySQL 3 cannot set tls_version'
        $analytics.AuroraMajorVersion | Should -Be 3
        $analytics.SslCipher | Should -Be @('ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384')
        $analytics.SslCipherSource | Should -Be 'user'
        $analytics.PendingReboot | Should -BeFalse

        $legacy = Get-AuroraTlsConfig legacy @Aws
        $legacy.TlsVersion | Should -Be 'TLSv1,TLSv1.1,TLSv1.2'
        $legacy.ParameterGroupFamily | Should -Be 'aurora-mysql5.7'
        $legacy.IsDefaultParameterGroup | Should -BeFalse
        (Get-AuroraTlsConfig inventory @Aws).IsDefaultParameterGroup | Should -BeTrue
    }

    It 'binds objects shaped like Get-RDSDBCluster output by DBClusterIdentifier' {
        $result = @((New-RdsDbCluster orders), (New-RdsDbCluster billing)) | Get-AuroraTlsConfig @Aws
        $result.ClusterIdentifier | Should -Be @('orders', 'billing')
    }

    It 'binds an object that carries only DBClusterArn' {
        $result = [pscustomobject]@{ DBClusterArn = 'arn:aws:rds:us-east-1:123456789012:cluster:legacy' } | Get-AuroraTlsConfig @Aws
        $result.ClusterIdentifier | Should -Be 'legacy'
    }

    It 'takes Get-AuroraCluster output and plain strings from the pipeline' {
        (Get-AuroraCluster -ClusterIdentifier orders @Aws | Get-AuroraTlsConfig @Aws).ClusterIdentifier | Should -Be 'orders'
        ('orders', 'analytics' | Get-AuroraTlsConfig @Aws).ClusterIdentifier | Should -Be @('orders', 'analytics')
    }

    It 'treats an empty pipeline as no clusters, not all of them' {
        @() | Get-AuroraTlsConfig @Aws | Should -BeNullOrEmpty
    }

    It 'reads each distinct parameter group once' {
        $null = Invoke-RestMethod -Method Post -Uri ($Double.Endpoint + '_double/requests/clear')
        $null = @((New-RdsDbCluster orders), (New-RdsDbCluster billing), (New-RdsDbCluster legacy)) | Get-AuroraTlsConfig @Aws
        $reads = @(Get-RdsDoubleRequests $Double | Where-Object { $_.action -eq 'DescribeDBClusterParameters' -and -not $_.parameters.Marker })
        @($reads.parameters.DBClusterParameterGroupName | Sort-Object) | Should -Be @('legacy-aurora-mysql57', 'shared-aurora-mysql57')
    }

    It 'reports an unknown cluster and a non-MySQL cluster as non-terminating errors and goes on' {
        $result = Get-AuroraTlsConfig -ClusterIdentifier orders, nosuch, reports-pg, billing @Aws -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.ClusterIdentifier | Should -Be @('orders', 'billing')
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ClusterNotFound*'
        $failures[0].Exception.Message | Should -Match "'nosuch'"
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[1].FullyQualifiedErrorId | Should -BeLike 'ClusterNotAuroraMySql*'
        $failures[1].Exception.Message | Should -Match 'aurora-postgresql'
    }

    It 'stops with a terminating error for a profile that does not exist' {
        $file = New-TemporaryFile
        Set-Content $file "[present]`naws_access_key_id = AKIDPRESENT`naws_secret_access_key = present-secret"
        try {
            { Get-AuroraTlsConfig -ProfileName absent -ProfileLocation $file.FullName -Region us-east-1 -EndpointUrl $Double.Endpoint -ErrorAction SilentlyContinue } |
                Should -Throw -ExpectedMessage "*absent*"
        }
        finally { Remove-Item $file }
    }

    It 'reads a relative -ProfileLocation from the PowerShell location, not the process directory' {
        $folder = Join-Path $TestDrive 'profiles-here'
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        Set-Content (Join-Path $folder 'creds') "[relative]`naws_access_key_id = $($Double.AccessKey)`naws_secret_access_key = $($Double.SecretKey)"
        Push-Location $folder
        try {
            [Environment]::CurrentDirectory | Should -Not -Be $folder -Because 'the test means something only when the two differ'
            $read = Get-AuroraTlsConfig -ClusterIdentifier orders -ProfileName relative -ProfileLocation 'creds' -Region us-east-1 -EndpointUrl $Double.Endpoint
            $read.ClusterIdentifier | Should -Be 'orders'
        }
        finally { Pop-Location }
    }

    It 'says how to set a region when none is found' {
        $saved = $env:AWS_REGION, $env:AWS_DEFAULT_REGION
        $env:AWS_REGION = $null; $env:AWS_DEFAULT_REGION = $null
        try {
            { Get-AuroraTlsConfig -AccessKey $Double.AccessKey -SecretKey $Double.SecretKey -EndpointUrl $Double.Endpoint -ProfileLocation (Join-Path $TestDrive 'none') } |
                Should -Throw -ExpectedMessage '*region*'
        }
        finally { $env:AWS_REGION, $env:AWS_DEFAULT_REGION = $saved }
    }

    It 'honours $StoredAWSRegion and $StoredAWSCredentials' {
        if (-not ('TestAwsCredentials' -as [type])) {
            Add-Type -TypeDefinition 'public class TestAwsCredentials { public string AccessKey { get; set; } public string SecretKey { get; set; } }'
        }
        $global:StoredAWSRegion = 'us-east-1'
        $global:StoredAWSCredentials = New-Object TestAwsCredentials -Property @{ AccessKey = $Double.AccessKey; SecretKey = $Double.SecretKey }
        try {
            $debug = Get-AuroraTlsConfig -ClusterIdentifier orders -EndpointUrl $Double.Endpoint -Debug 5>&1 -ErrorAction Stop
            ($debug | Where-Object { $_.GetType().FullName -eq 'AuroraSecurity.Clusters.AuroraTlsConfig' }).ClusterIdentifier | Should -Be 'orders'
            ($debug | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message -join "`n" | Should -Match 'StoredAWSRegion'
        }
        finally { Remove-Variable -Scope Global -Name StoredAWSRegion, StoredAWSCredentials }
    }

    It 'never shows the secret key in output, errors or debug messages' {
        $everything = Get-AuroraTlsConfig -ClusterIdentifier orders, nosuch @Aws -Debug -Verbose -ErrorAction Continue 5>&1 4>&1 2>&1 | Out-String
        $everything | Should -Not -Match ([regex]::Escape($Double.SecretKey))
        $wrong = Get-AuroraTlsConfig -ClusterIdentifier orders -EndpointUrl $Double.Endpoint -Region us-east-1 -AccessKey $Double.AccessKey -SecretKey 'wrong-secret-value' -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'RdsAuthenticationFailed*'
        ($refused | Out-String) + $refused[0].Exception.ToString() | Should -Not -Match 'wrong-secret-value'
    }

    It 'has every AWS.Tools credential and region parameter with its aliases' {
        $command = Get-Command Get-AuroraTlsConfig
        $command | Should -HaveParameter Region -Alias RegionToCall
        $command | Should -HaveParameter AccessKey -Alias AK
        $command | Should -HaveParameter SecretKey -Alias SK, SecretAccessKey
        $command | Should -HaveParameter SessionToken -Alias ST
        $command | Should -HaveParameter ProfileName -Alias StoredCredentials, AWSProfileName
        $command | Should -HaveParameter ProfileLocation -Alias AWSProfilesLocation, ProfilesLocation
        $command | Should -HaveParameter Credential
        $command | Should -HaveParameter EndpointUrl
        $command | Should -HaveParameter ClusterIdentifier -Alias DBClusterIdentifier, DBClusterArn
        $command | Should -HaveParameter ThrottleLimit -Type int
    }

    It 'shows the TLS columns in its table view' {
        Get-AuroraTlsConfig orders @Aws | Format-Table | Out-String | Should -Match 'ClusterIdentifier\s+SecureTransport\s+TlsVersion\s+Ciphers\s+PendingReboot'
    }
}

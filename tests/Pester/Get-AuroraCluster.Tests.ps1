BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
}

AfterAll { Stop-RdsDouble $Double }

Describe 'Get-AuroraCluster' -Tag 'RdsDouble' {
    It 'lists Aurora MySQL clusters only' {
        $clusters = Get-AuroraCluster @Aws
        $clusters.ClusterIdentifier | Should -Be @('analytics', 'billing', 'inventory', 'legacy', 'orders')
        $clusters.Engine | Sort-Object -Unique | Should -Be 'aurora-mysql'
    }

    It 'describes a cluster with the properties AWS.Tools users expect' {
        $orders = Get-AuroraCluster -ClusterIdentifier orders @Aws
        $orders.DBClusterIdentifier | Should -Be 'orders'
        $orders.DBClusterArn | Should -Be 'arn:aws:rds:us-east-1:123456789012:cluster:orders'
        $orders.Arn | Should -Be $orders.DBClusterArn
        $orders.Region | Should -Be 'us-east-1'
        $orders.AuroraMajorVersion | Should -Be 2
        $orders.Endpoint | Should -Match '^orders\.cluster-'
        $orders.ReaderEndpoint | Should -Match '^orders\.cluster-ro-'
        $orders.Port | Should -Be 3306
        $orders.ParameterGroupName | Should -Be 'shared-aurora-mysql57'
        $orders.MasterUsername | Should -Be 'admin'
        $orders.IamDatabaseAuthenticationEnabled | Should -BeTrue
        $orders.StorageEncrypted | Should -BeTrue
        @($orders.Members | Where-Object IsWriter).Count | Should -Be 1
        $orders.Members[0].ParameterGroupStatus | Should -Be 'in-sync'
    }

    It 'explains why a cluster of another engine is refused, and goes on' {
        $result = Get-AuroraCluster -ClusterIdentifier graph, orders @Aws -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.ClusterIdentifier | Should -Be 'orders'
        $failures[0].Exception.Message | Should -Match "neptune.*Aurora MySQL"
        $failures[0].TargetObject | Should -Be 'graph'
    }

    It 'binds Get-RDSDBCluster-shaped objects by property name' {
        $result = [pscustomobject]@{ DBClusterIdentifier = 'billing'; DBClusterArn = 'arn:aws:rds:us-east-1:123456789012:cluster:billing'; Engine = 'aurora-mysql' } | Get-AuroraCluster @Aws
        $result.ClusterIdentifier | Should -Be 'billing'
    }

    It 'says so when a region has no Aurora MySQL clusters, for the listing, the TLS read and the audit' {
        $state = Get-Content (Join-Path $RepoRoot 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
        $state.clusters = @($state.clusters | Where-Object engine -notin 'aurora-mysql', 'aurora')
        $file = Join-Path $TestDrive 'no-mysql.json'
        $state | ConvertTo-Json -Depth 20 | Set-Content -Path $file -Encoding utf8
        $empty = Start-RdsDouble -StateFile $file
        try {
            $emptyAws = Get-RdsDoubleParameters $empty
            foreach ($command in 'Get-AuroraCluster', 'Get-AuroraTlsConfig', 'Invoke-AuroraSecurityAudit') {
                $output = & $command @emptyAws -WarningVariable warned -WarningAction SilentlyContinue
                $output | Should -BeNullOrEmpty
                $warned.Count | Should -Be 1 -Because "$command must not be silent"
                $warned[0].Message | Should -Match 'No Aurora MySQL clusters in us-east-1'
            }
        }
        finally {
            Stop-RdsDouble $empty
        }
    }

    It 'has the AWS.Tools parameters and aliases' {
        $command = Get-Command Get-AuroraCluster
        $command | Should -HaveParameter Region -Alias RegionToCall
        $command | Should -HaveParameter AccessKey -Alias AK
        $command | Should -HaveParameter SecretKey -Alias SK, SecretAccessKey
        $command | Should -HaveParameter SessionToken -Alias ST
        $command | Should -HaveParameter ProfileName -Alias StoredCredentials, AWSProfileName
        $command | Should -HaveParameter ProfileLocation -Alias AWSProfilesLocation, ProfilesLocation
        $command | Should -HaveParameter Credential
        $command | Should -HaveParameter EndpointUrl
        $command | Should -HaveParameter ClusterIdentifier -Alias DBClusterIdentifier, DBClusterArn
    }
}

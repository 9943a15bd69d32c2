# An ARN names exactly one cluster: its region, its account and its partition are honoured by every RDS cmdlet,
# read or write. The double answers as account 123456789012; 999999999999 is someone else's account.
BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
    # The same keys and endpoint, without -Region: the ARN decides.
    $script:NoRegion = @{ EndpointUrl = $Double.Endpoint; AccessKey = $Double.AccessKey; SecretKey = $Double.SecretKey }
    $script:EuDouble = Start-RdsDouble -Region eu-west-1
    $script:EuNoRegion = @{ EndpointUrl = $EuDouble.Endpoint; AccessKey = $EuDouble.AccessKey; SecretKey = $EuDouble.SecretKey }
    $script:CnDouble = Start-RdsDouble -Region cn-north-1
    $script:CnNoRegion = @{ EndpointUrl = $CnDouble.Endpoint; AccessKey = $CnDouble.AccessKey; SecretKey = $CnDouble.SecretKey }
    $script:SavedRegion = $env:AWS_REGION
    $env:AWS_REGION = $null
}

AfterAll {
    Stop-RdsDouble $Double
    Stop-RdsDouble $EuDouble
    Stop-RdsDouble $CnDouble
    $env:AWS_REGION = $SavedRegion
}

Describe 'A cluster ARN on the change cmdlets' -Tag 'RdsDouble' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'refuses an ARN whose region contradicts -Region, and sends nothing' {
        $result = Enable-AuroraSecureTransport -ClusterIdentifier 'arn:aws:rds:eu-west-1:999999999999:cluster:legacy' -Force @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Match '^ClusterArnRegionMismatch'
        $failed[0].Exception.Message | Should -Match 'eu-west-1' 
        $failed[0].Exception.Message | Should -Match '-Region us-east-1|-Region is us-east-1'
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ }).Count | Should -Be 0
        Get-DoubleAwsCliParameter $Double 'legacy-aurora-mysql57' 'require_secure_transport' | Should -Not -Be '1'
    }

    It 'refuses an ARN of another account, even where a cluster of that name exists in the caller''s account' {
        $arn = 'arn:aws:rds:us-east-1:999999999999:cluster:legacy'
        $result = Enable-AuroraSecureTransport -ClusterIdentifier $arn -Force @NoRegion -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Match '^ClusterArnAccountMismatch'
        $failed[0].Exception.Message | Should -Match '999999999999'
        $failed[0].Exception.Message | Should -Match '123456789012'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
        Get-DoubleAwsCliParameter $Double 'legacy-aurora-mysql57' 'require_secure_transport' | Should -Not -Be '1'
    }

    It 'refuses an ARN whose partition does not fit its region, before any request' {
        foreach ($arn in 'arn:aws-cn:rds:us-east-1:123456789012:cluster:legacy', 'arn:aws:rds:cn-north-1:123456789012:cluster:legacy', 'arn:aws-us-gov:rds:eu-west-1:123456789012:cluster:legacy') {
            $result = Set-AuroraTlsVersion -ClusterIdentifier $arn -MinimumTlsVersion 'TLSv1.2' -Force @NoRegion -ErrorVariable failed -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -Match '^ClusterArnInvalid'
            $failed[0].Exception.Message | Should -Match 'partition'
        }
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ }).Count | Should -Be 0
    }

    It 'changes the cluster an ARN of the caller''s account names, in the ARN''s region' {
        $result = Enable-AuroraIamAuthentication -ClusterIdentifier 'arn:aws:rds:us-east-1:123456789012:cluster:legacy' -Force @NoRegion
        $result.Change | Should -BeIn 'Applied', 'Unchanged'
        $result.ClusterIdentifier | Should -Be 'legacy'
        $result.Region | Should -Be 'us-east-1'
    }
}

Describe 'A cluster ARN on the read cmdlets' -Tag 'RdsDouble' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It '<Command> refuses an ARN of another account and writes no object' -ForEach @(
        @{ Command = 'Get-AuroraCluster' }, @{ Command = 'Get-AuroraTlsConfig' }, @{ Command = 'Invoke-AuroraSecurityAudit' }
    ) {
        $result = & $Command -ClusterIdentifier 'arn:aws:rds:us-east-1:999999999999:cluster:orders' @NoRegion -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Match '^ClusterArnAccountMismatch'
    }

    It '<Command> refuses an ARN that contradicts -Region, and asks nothing of RDS' -ForEach @(
        @{ Command = 'Get-AuroraCluster' }, @{ Command = 'Get-AuroraTlsConfig' }, @{ Command = 'Invoke-AuroraSecurityAudit' }
    ) {
        $result = & $Command -ClusterIdentifier 'arn:aws:rds:eu-west-1:123456789012:cluster:orders' @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Match '^ClusterArnRegionMismatch'
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ }).Count | Should -Be 0
    }

    It 'sends the request to the ARN''s region when -Region is not given, even with another $StoredAWSRegion' {
        $global:StoredAWSRegion = 'us-east-1'
        try {
            $cluster = Get-AuroraCluster -ClusterIdentifier 'arn:aws:rds:eu-west-1:123456789012:cluster:orders' @EuNoRegion
        }
        finally { Remove-Variable -Name StoredAWSRegion -Scope Global -ErrorAction SilentlyContinue }
        $cluster.ClusterIdentifier | Should -Be 'orders'
        $cluster.Region | Should -Be 'eu-west-1'
        $cluster.DBClusterArn | Should -Be 'arn:aws:rds:eu-west-1:123456789012:cluster:orders'
    }

    It 'signs for the ARN''s region: a double in us-east-1 refuses a request scoped to eu-west-1' {
        $null = Get-AuroraTlsConfig -ClusterIdentifier 'arn:aws:rds:eu-west-1:123456789012:cluster:orders' @NoRegion -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -BeGreaterThan 0
        $failed[0].Exception.Message | Should -Match 'SignatureDoesNotMatch'
        @(Get-RdsDoubleRequests $Double | Where-Object errorCode -eq 'SignatureDoesNotMatch').Count | Should -BeGreaterThan 0
    }

    It 'takes an aws-cn ARN to its China region and checks the account there' {
        $tls = Get-AuroraTlsConfig -ClusterIdentifier 'arn:aws-cn:rds:cn-north-1:123456789012:cluster:orders' @CnNoRegion
        $tls.Region | Should -Be 'cn-north-1'
        $tls.DBClusterArn | Should -BeLike 'arn:aws-cn:rds:cn-north-1:123456789012:cluster:orders'
        $null = Get-AuroraTlsConfig -ClusterIdentifier 'arn:aws-cn:rds:cn-north-1:999999999999:cluster:orders' @CnNoRegion -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Match '^ClusterArnAccountMismatch'
    }

    It 'audits the cluster an ARN of the caller''s account names; findings carry the region' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier 'arn:aws:rds:us-east-1:123456789012:cluster:orders' @NoRegion
        $findings | Should -Not -BeNullOrEmpty
        $findings.ClusterIdentifier | Sort-Object -Unique | Should -Be 'orders'
    }
}

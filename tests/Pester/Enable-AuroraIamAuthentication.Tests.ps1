BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Enable-AuroraIamAuthentication and Disable-AuroraIamAuthentication' -Tag 'RdsDouble', 'AwsCli' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It '-WhatIf sends nothing' {
        (Enable-AuroraIamAuthentication -ClusterIdentifier billing -WhatIf @Aws).Change | Should -Be 'WhatIf'
        (Disable-AuroraIamAuthentication -ClusterIdentifier orders -WhatIf @Aws).Change | Should -Be 'WhatIf'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'Enable-AuroraIamAuthentication turns it on with ModifyDBCluster, applied immediately' {
        $result = Enable-AuroraIamAuthentication -ClusterIdentifier billing -Confirm:$false @Aws
        $result.Change | Should -Be 'Applied'
        $result.IamDatabaseAuthenticationEnabled | Should -BeTrue
        $request = Get-DoubleMutatingRequests $Double
        $request.action | Should -Be 'ModifyDBCluster'
        $request.parameters.EnableIAMDatabaseAuthentication | Should -Be 'true'
        $request.parameters.ApplyImmediately | Should -Be 'true'
        (Invoke-DoubleAwsCli $Double @('describe-db-clusters', '--db-cluster-identifier', 'billing')).DBClusters[0].IAMDatabaseAuthenticationEnabled | Should -BeTrue
    }

    It 'sends nothing when it is already on' {
        (Enable-AuroraIamAuthentication -ClusterIdentifier orders @Aws).Change | Should -Be 'Unchanged'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'Disable-AuroraIamAuthentication turns it off and warns' {
        $result = Get-AuroraCluster -ClusterIdentifier orders @Aws | Disable-AuroraIamAuthentication -Force @Aws -WarningVariable warned -WarningAction SilentlyContinue
        $result.IamDatabaseAuthenticationEnabled | Should -BeFalse
        $warned[0].Message | Should -Match 'IAM auth tokens are no longer accepted'
        (Invoke-DoubleAwsCli $Double @('describe-db-clusters', '--db-cluster-identifier', 'orders')).DBClusters[0].IAMDatabaseAuthenticationEnabled | Should -BeFalse
    }
}

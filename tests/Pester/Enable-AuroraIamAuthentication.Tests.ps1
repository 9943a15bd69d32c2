BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

# Every scenario runs against both ways the double answers: full, and minimal (a terse RDS that leaves optional fields
# out, holds ModifyDBCluster settings in PendingModifiedValues and shows parameter changes late).
Describe 'Enable-AuroraIamAuthentication and Disable-AuroraIamAuthentication (<_> answers)' -ForEach 'full', 'minimal' -Tag 'RdsDouble', 'AwsCli' {
    BeforeAll {
        $script:Mode = $_
        $script:Double = Start-RdsDouble -Mode $_ -ParameterDelayMs 300
        $script:Aws = Get-RdsDoubleParameters $Double
    }

    AfterAll {
        Stop-RdsDouble $Double
    }

    BeforeEach { Clear-RdsDoubleRequests $Double }

    It '-WhatIf sends nothing' {
        (Enable-AuroraIamAuthentication -ClusterIdentifier billing -WhatIf @Aws).Change | Should -Be 'WhatIf'
        (Disable-AuroraIamAuthentication -ClusterIdentifier orders -WhatIf @Aws).Change | Should -Be 'WhatIf'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'Enable-AuroraIamAuthentication turns it on with ModifyDBCluster, applied immediately' {
        $result = Enable-AuroraIamAuthentication -ClusterIdentifier billing -Confirm:$false @Aws
        if ($Mode -eq 'full') {
            $result.Change | Should -Be 'Applied'
            $result.IamDatabaseAuthenticationEnabled | Should -BeTrue
        }
        else {
            # RDS holds the setting in PendingModifiedValues: accepted, not yet in effect, and said so.
            $result.Change | Should -Be 'Pending'
            $result.IamDatabaseAuthenticationEnabled | Should -BeFalse
            $result.PendingIamDatabaseAuthenticationEnabled | Should -BeTrue
            $result.PendingChange | Should -Match 'PendingModifiedValues'
        }
        $result.ChangeNote | Should -Match '^Sent: ModifyDBCluster for cluster ''billing'' with EnableIAMDatabaseAuthentication=true'
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
        $result.Change | Should -Be ($Mode -eq 'full' ? 'Applied' : 'Pending')
        $result.IamDatabaseAuthenticationEnabled | Should -Be ($Mode -ne 'full') -Because 'Applied only when the read-back shows it'
        $warned[0].Message | Should -Match 'IAM auth tokens are no longer accepted'
        (Invoke-DoubleAwsCli $Double @('describe-db-clusters', '--db-cluster-identifier', 'orders')).DBClusters[0].IAMDatabaseAuthenticationEnabled | Should -BeFalse
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Disable-AuroraSecureTransport' -Tag 'RdsDouble', 'AwsCli' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It '-WhatIf by group name sends nothing' {
        $result = Disable-AuroraSecureTransport -ParameterGroupName secure-aurora-mysql80 -WhatIf @Aws
        $result.ClusterIdentifier | Should -Be 'analytics'
        $result.Change | Should -Be 'WhatIf'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
        Get-DoubleAwsCliParameter $Double 'secure-aurora-mysql80' 'require_secure_transport' | Should -Be 'ON'
    }

    It 'turns require_secure_transport off immediately' {
        $result = Disable-AuroraSecureTransport -ClusterIdentifier analytics -Confirm:$false @Aws -WarningAction SilentlyContinue
        $result.Change | Should -Be 'Applied'
        $result.RequireSecureTransport | Should -BeFalse
        (Get-DoubleMutatingRequests $Double)[0].parameters.'Parameters.Parameter.1.ApplyMethod' | Should -Be 'immediate'
        Get-DoubleAwsCliParameter $Double 'secure-aurora-mysql80' 'require_secure_transport' | Should -Be '0'
        (Get-AuroraTlsConfig analytics @Aws).RequireSecureTransport | Should -BeFalse
    }

    It 'sends nothing for a cluster where it is already off, even on a default group' {
        $result = Disable-AuroraSecureTransport -ClusterIdentifier inventory @Aws
        $result.Change | Should -Be 'Unchanged'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }
}

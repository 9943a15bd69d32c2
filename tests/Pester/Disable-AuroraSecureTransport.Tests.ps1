BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Disable-AuroraSecureTransport' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It '-WhatIf by group name sends nothing' {
        $result = Disable-AuroraSecureTransport -ParameterGroupName secure-aurora-mysql80 -WhatIf @Aws
        $result.ClusterIdentifier | Should -Be 'analytics'
        $result.Change | Should -Be 'WhatIf'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
        Get-DoubleAwsCliParameter $Double 'secure-aurora-mysql80' 'require_secure_transport' | Should -Be 'ON'
    }

    It 'lowers security, so its impact is High, like Disable-AuroraIamAuthentication' {
        foreach ($name in 'Disable-AuroraSecureTransport', 'Disable-AuroraIamAuthentication') {
            (Get-Command $name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
            Get-Command $name | Should -HaveParameter Force
        }
    }

    It 'in a host that cannot ask, says to add -Force and sends nothing' {
        $shell = [powershell]::Create()
        try {
            # A runspace without a host user interface cannot prompt, like a job or a scheduled runbook.
            $null = $shell.AddCommand('Import-Module').AddArgument($ModuleManifest).AddStatement().
                AddCommand('Disable-AuroraSecureTransport').AddParameter('ClusterIdentifier', 'analytics').AddParameters($Aws).AddParameter('ErrorAction', 'SilentlyContinue')
            $results = $shell.Invoke()
            $shell.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'ConfirmationNeeded*'
            $shell.Streams.Error[0].Exception.Message | Should -Match 'Add -Force to go ahead'
            $results | Should -BeNullOrEmpty
        }
        finally { $shell.Dispose() }
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

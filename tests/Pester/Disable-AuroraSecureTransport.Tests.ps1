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
        $script = Join-Path $TestDrive 'non-interactive.ps1'
        Set-Content $script @'
param($Manifest, $AwsJson)
Import-Module $Manifest
$aws = @{}
(ConvertFrom-Json $AwsJson).psobject.Properties | ForEach-Object { $aws[$_.Name] = $_.Value }
$results = Disable-AuroraSecureTransport -ClusterIdentifier analytics @aws -ErrorVariable failed -ErrorAction SilentlyContinue
[pscustomobject]@{ Error = "$($failed[0].FullyQualifiedErrorId)|$($failed[0].Exception.Message)"; Results = @($results).Count; StillRunning = $true } | ConvertTo-Json -Compress
'@
        $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $script $ModuleManifest ($Aws | ConvertTo-Json -Compress) 2>&1
        $answer = ($output | Select-Object -Last 1) | ConvertFrom-Json
        $answer.StillRunning | Should -BeTrue
        $answer.Error | Should -BeLike 'ConfirmationNeeded*'
        $answer.Error | Should -Match 'Add -Force to go ahead'
        $answer.Results | Should -Be 0
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

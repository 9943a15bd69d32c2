BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

# Every scenario runs against both ways the double answers: full, and minimal (a terse RDS that leaves optional fields
# out, holds ModifyDBCluster settings in PendingModifiedValues and shows parameter changes late).
Describe 'Disable-AuroraSecureTransport (<_> answers)' -ForEach 'full', 'minimal' -Tag 'RdsDouble', 'AwsCli' {
    BeforeAll {
        $script:Mode = $_
        $script:Double = Start-RdsDouble -Mode $_ -ParameterDelayMs 300
        $script:Aws = Get-RdsDoubleParameters $Double
    }

    AfterAll {
        Stop-RdsDouble $Double
    }

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
        $result = Disable-AuroraSecureTransport -ClusterIdentifier inventory @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        if ($Mode -eq 'full') {
            $result.Change | Should -Be 'Unchanged'
        }
        else {
            # The terse answer gives require_secure_transport neither a value nor a Source: unknown, so never "already off".
            $result | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'DefaultParameterGroup*'
        }
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It '-Debug in a host that cannot prompt still reports the change it made, and the pipeline goes on' {
        $script = @"
Import-Module '$ModuleManifest'
`$aws = @{ EndpointUrl = '$($Aws.EndpointUrl)'; Region = 'us-east-1'; AccessKey = '$($Aws.AccessKey)'; SecretKey = '$($Aws.SecretKey)' }
`$r = Disable-AuroraSecureTransport -ClusterIdentifier analytics -Force -Debug @aws
'RESULT ' + `$r.ClusterIdentifier + ' ' + `$r.Change
'PIPELINE WENT ON'
"@
        Enable-AuroraSecureTransport -ClusterIdentifier analytics -Force @Aws -WarningAction SilentlyContinue | Out-Null
        $output = Invoke-NonInteractivePowerShell $script
        $output | Should -Match 'RESULT analytics (Applied|Pending)'
        $output | Should -Match 'PIPELINE WENT ON'
        $output | Should -Not -Match 'NonInteractive mode'
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

# Every scenario runs against both ways the double answers: full, and minimal (a terse RDS that leaves optional fields
# out, holds ModifyDBCluster settings in PendingModifiedValues and shows parameter changes late).
Describe 'Enable-AuroraSecureTransport (<_> answers)' -ForEach 'full', 'minimal' -Tag 'RdsDouble', 'AwsCli' {
    BeforeAll {
        $script:Mode = $_
        $script:Double = Start-RdsDouble -Mode $_ -ParameterDelayMs 300
        $script:Aws = Get-RdsDoubleParameters $Double
    }

    AfterAll {
        Stop-RdsDouble $Double
    }

    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'is a Medium-impact change with -WhatIf, -Confirm and -Force' {
        $command = Get-Command Enable-AuroraSecureTransport
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'Medium'
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Force'
        $command.ParameterSets.Name | Should -Be @('Cluster', 'ParameterGroup')
    }

    It '-WhatIf sends no change request and reports WhatIf' {
        $result = Enable-AuroraSecureTransport -ClusterIdentifier legacy -WhatIf @Aws
        $result.Change | Should -Be 'WhatIf'
        $result.RequireSecureTransport | Should -BeFalse
        $result.ChangeNote | Should -Match 'nothing was sent'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ }).Count | Should -BeGreaterThan 0 -Because 'the log must be live for the line above to mean anything'
        Get-DoubleAwsCliParameter $Double 'legacy-aurora-mysql57' 'require_secure_transport' | Should -Not -Be '1'
    }

    It 'turns require_secure_transport on at once, warns about error 3159, and both readers see it' {
        $result = Enable-AuroraSecureTransport -ClusterIdentifier legacy -Force @Aws -WarningVariable warned -WarningAction SilentlyContinue
        $result.Change | Should -Be 'Applied'
        $result.RequireSecureTransport | Should -BeTrue
        $result.ChangeNote | Should -Match '3159'
        $result.PendingRebootMembers | Should -BeNullOrEmpty -Because 'the parameter is dynamic'
        $warned[0].Message | Should -Match '3159'

        $modify = Get-DoubleMutatingRequests $Double
        @($modify).Count | Should -Be 1
        $modify[0].parameters.'Parameters.Parameter.1.ApplyMethod' | Should -Be 'immediate'
        (Get-AuroraTlsConfig legacy @Aws).RequireSecureTransport | Should -BeTrue
        Get-DoubleAwsCliParameter $Double 'legacy-aurora-mysql57' 'require_secure_transport' | Should -Be '1'
    }

    It 'sends nothing when the value already holds' {
        $result = Enable-AuroraSecureTransport -ClusterIdentifier analytics -Force @Aws
        $result.Change | Should -Be 'Unchanged'
        $result.psobject.BaseObject.GetType().FullName | Should -Be 'AuroraSecurity.Clusters.AuroraTlsConfig'
        ($result | Format-Table | Out-String -Width 300) | Should -Match 'Change\s+ClusterIdentifier\s+SecureTransport\s+TlsVersion'
        (Get-AuroraTlsConfig analytics @Aws | Format-Table | Out-String -Width 300) | Should -Not -Match '\sChange\s'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'without -Force, a change that reaches clusters not named waits for a confirmation this host cannot give' {
        $result = Enable-AuroraSecureTransport -ClusterIdentifier billing -Confirm:$false @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ConfirmationNeeded*'
        $failed[0].Exception.Message | Should -Match 'billing, orders'
        $failed[0].Exception.Message | Should -Match '-Force'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'names every cluster of a shared group in the ShouldProcess text and returns each' {
        $verbose = Enable-AuroraSecureTransport -ClusterIdentifier orders -Force -Verbose @Aws 4>&1
        $records = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $objects = @($verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        ($records.Message -join "`n") | Should -Match "shared-aurora-mysql57' \(reaches 2 clusters: billing, orders\)"
        $objects.ClusterIdentifier | Should -Be @('billing', 'orders')
        $objects.Change | Should -Be @('Applied', 'Applied')
    }

    It 'refuses a default group before any change, and says what to do' {
        $result = Enable-AuroraSecureTransport -ClusterIdentifier inventory -Force @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'DefaultParameterGroup*'
        $failed[0].Exception.Message | Should -Match 'never modifies default parameter groups'
        $failed[0].Exception.Message | Should -Match '-CreateCustomGroup'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It '-CreateCustomGroup -WhatIf creates nothing' {
        $result = Enable-AuroraSecureTransport -ClusterIdentifier inventory -CreateCustomGroup -WhatIf @Aws
        $result.Change | Should -Be 'WhatIf'
        $result.ChangeNote | Should -Match "Create cluster parameter group 'inventory-aurora-mysql80'"
        $result.ChangeNote | Should -Match 'after their reboot \(inventory-1, inventory-2\)'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It '-CreateCustomGroup creates, changes and attaches a custom group; the instances need a reboot' {
        $result = Enable-AuroraSecureTransport -ClusterIdentifier inventory -CreateCustomGroup -NewParameterGroupName inventory-tls -Force @Aws -WarningVariable warned -WarningAction SilentlyContinue
        # A newly attached cluster parameter group applies only when each instance reboots: Pending, never "now refused".
        $result.Change | Should -Be 'Pending'
        $result.RebootRequired | Sort-Object | Should -Be @('inventory-1', 'inventory-2')
        $result.ChangeNote | Should -Not -Match 'are now refused|no reboot is needed'
        $warned[0].Message | Should -Match '^inventory: pending'
        $result.ParameterGroupName | Should -Be 'inventory-tls'
        $result.RequireSecureTransport | Should -BeTrue
        $result.PendingRebootMembers | Sort-Object | Should -Be @('inventory-1', 'inventory-2')
        (Get-DoubleMutatingRequests $Double).action | Should -Be @('CreateDBClusterParameterGroup', 'ModifyDBClusterParameterGroup', 'ModifyDBCluster')

        (Invoke-DoubleAwsCli $Double @('describe-db-clusters', '--db-cluster-identifier', 'inventory')).DBClusters[0].DBClusterParameterGroup | Should -Be 'inventory-tls'
        Get-DoubleAwsCliParameter $Double 'inventory-tls' 'require_secure_transport' | Should -Be '1'
        (Get-AuroraTlsConfig inventory @Aws).ParameterGroupName | Should -Be 'inventory-tls'
    }

    It 'answers once per cluster piped in when the clusters share a group, and -WhatIf says it once' {
        Disable-AuroraSecureTransport -ParameterGroupName shared-aurora-mysql57 -Force @Aws -WarningAction SilentlyContinue | Out-Null
        Clear-RdsDoubleRequests $Double
        $results = @(Get-AuroraTlsConfig -ClusterIdentifier billing, orders @Aws | Enable-AuroraSecureTransport -Force @Aws -WarningAction SilentlyContinue)
        $results.ClusterIdentifier | Should -Be @('billing', 'orders')
        $results.Change | Should -Be @('Applied', 'Applied')
        @(Get-DoubleMutatingRequests $Double).Count | Should -Be 1

        Disable-AuroraSecureTransport -ParameterGroupName shared-aurora-mysql57 -Force @Aws -WarningAction SilentlyContinue | Out-Null
        $script = @"
Import-Module '$ModuleManifest'
`$aws = @{ EndpointUrl = '$($Aws.EndpointUrl)'; Region = 'us-east-1'; AccessKey = '$($Aws.AccessKey)'; SecretKey = '$($Aws.SecretKey)' }
`$r = Get-AuroraTlsConfig -ClusterIdentifier billing, orders @aws | Enable-AuroraSecureTransport -Force -WhatIf @aws
'OBJECTS ' + @(`$r).Count
"@
        $output = Invoke-NonInteractivePowerShell $script
        ([regex]::Matches($output, 'What if:')).Count | Should -Be 1
        $output | Should -Match 'OBJECTS 2'
    }

    It 'refuses an instance parameter group named with -ParameterGroupName' {
        Enable-AuroraSecureTransport -ParameterGroupName orders-instance-mysql57 -Force @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'NotAClusterParameterGroup*'
        $failed[0].Exception.Message | Should -Match 'DB cluster parameter groups'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'binds Get-AuroraTlsConfig output and AWS.Tools-shaped objects; one bad cluster does not stop the others' {
        $tools = [pscustomobject]@{ DBClusterArn = 'arn:aws:rds:us-east-1:123456789012:cluster:analytics'; Engine = 'aurora-mysql' }
        (Get-AuroraTlsConfig analytics @Aws | Enable-AuroraSecureTransport -Force @Aws).ClusterIdentifier | Should -Be 'analytics'
        ($tools | Enable-AuroraSecureTransport -Force @Aws).ClusterIdentifier | Should -Be 'analytics'

        $results = 'nope', 'analytics' | Enable-AuroraSecureTransport -Force @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $results.ClusterIdentifier | Should -Be 'analytics'
        $failed.Count | Should -Be 1
        $failed[0].Exception.Message | Should -Match "'nope'"
        $failed[0].TargetObject | Should -Be 'nope'
    }
}

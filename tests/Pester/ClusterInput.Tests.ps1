# Bad input to the RDS cmdlets is refused before any request, with a message of readable length.
BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Input the RDS cmdlets refuse' -Tag 'RdsDouble' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'Set-AuroraTlsVersion refuses -NewParameterGroupName <Name> before any request' -ForEach @(
        @{ Name = 'bad name!' }, @{ Name = '1orders' }, @{ Name = 'orders--tls' }, @{ Name = 'orders-' }, @{ Name = ('g' * 256) }, @{ Name = 'orders_tls' }
    ) {
        { Set-AuroraTlsVersion -ClusterIdentifier inventory -MinimumTlsVersion 'TLSv1.2' -CreateCustomGroup -NewParameterGroupName $Name -Force @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterGroupNameInvalid*'
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ }).Count | Should -Be 0
    }

    It 'Enable-AuroraSecureTransport takes a valid -NewParameterGroupName (WhatIf: nothing sent)' {
        $result = Enable-AuroraSecureTransport -ClusterIdentifier inventory -CreateCustomGroup -NewParameterGroupName 'inventory-tls-2' -WhatIf @Aws
        $result.Change | Should -Be 'WhatIf'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'refuses an empty or blank -EndpointUrl instead of falling back to the regional endpoint' {
        { Get-AuroraCluster -EndpointUrl '' -Region us-east-1 -AccessKey $Double.AccessKey -SecretKey $Double.SecretKey -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        $blank = { Get-AuroraCluster -EndpointUrl '  ' -Region us-east-1 -AccessKey $Double.AccessKey -SecretKey $Double.SecretKey -ErrorAction Stop } |
            Should -Throw -PassThru
        $blank.Exception.Message | Should -Match 'EndpointUrl is empty'
    }

    It '<Command> refuses a piped object with no cluster identifier property, naming no cluster after its type' -ForEach @(
        @{ Command = 'Get-AuroraTlsConfig' }, @{ Command = 'Get-AuroraCluster' }, @{ Command = 'Enable-AuroraSecureTransport' }
    ) {
        $extra = if ($Command -like 'Enable-*') { @{ Force = $true } } else { @{} }
        $result = @{ Foo = 1 }, [pscustomobject]@{ Name = 'orders' } | & $Command @Aws @extra -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed.Count | Should -Be 2
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -Match '^PipelineObjectWithoutClusterIdentifier' }
        $failed[0].Exception.Message | Should -Match 'no ClusterIdentifier, DBClusterIdentifier or DBClusterArn property'
        (Get-RdsDoubleRequests $Double | ForEach-Object { $_.parameters.PSObject.Properties.Value }) -join ' ' | Should -Not -Match 'System\.Collections|@\{'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'cuts a 100 kB identifier, ARN or group name to a readable length in its message' {
        $long = 'a' * 100000
        $null = Get-AuroraCluster -ClusterIdentifier $long @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].Exception.Message.Length | Should -BeLessThan 1000
        $failed[0].Exception.Message | Should -Match '100000 characters'
        $null = Get-AuroraCluster -ClusterIdentifier ('arn:aws:rds:us-east-1:123456789012:cluster:' + $long + ':x') @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].Exception.Message.Length | Should -BeLessThan 1000
        $e = { Set-AuroraTlsVersion -ClusterIdentifier inventory -MinimumTlsVersion 'TLSv1.2' -CreateCustomGroup -NewParameterGroupName ('!' * 100000) -Force @Aws -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message.Length | Should -BeLessThan 1000
    }
}

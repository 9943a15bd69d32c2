# One meaning per name: a parameter name means the same thing on every cmdlet that has it, so a DBA who learned it on
# one cmdlet knows it on all. Checked here as far as reflection can: the same type (a filter may take several values
# where a change takes one) and the same aliases on every cmdlet.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    # Parameters that differ on purpose; the help of each says why.
    $script:Exceptions = @{
        'Invoke-AuroraSecurityAudit/SqlCredential' = 'script block'
        'Repair-AuroraSecurityFinding/SqlCredential' = 'script block'
    }

    function Get-AuroraParameter {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($command in Get-Command -Module AuroraSecurity -CommandType Cmdlet) {
            foreach ($parameter in $command.Parameters.Values) {
                if ($common -contains $parameter.Name) { continue }
                $type = $parameter.ParameterType
                if ($type.IsArray) { $type = $type.GetElementType() }
                $type = [Nullable]::GetUnderlyingType($type) ?? $type
                [pscustomobject]@{
                    Cmdlet  = $command.Name
                    Name    = $parameter.Name
                    Type    = $type.FullName
                    Aliases = (@($parameter.Aliases) | Sort-Object) -join ', '
                }
            }
        }
    }

    # One line for each name that two cmdlets give different types or aliases.
    function Find-ParameterDifference([object[]] $Parameter) {
        foreach ($group in $Parameter | Group-Object Name | Where-Object Count -gt 1) {
            $variants = @($group.Group | Group-Object Type, Aliases)
            if ($variants.Count -gt 1) {
                "-$($group.Name): " + (($variants | ForEach-Object { "[$($_.Group[0].Type)] aliases ($($_.Group[0].Aliases)) on $($_.Group.Cmdlet -join ', ')" }) -join '; ')
            }
        }
    }
}

Describe 'Parameter names across the cmdlets' -Tag 'None' {
    It 'gives one parameter name one type and one set of aliases on every cmdlet' {
        $parameters = @(Get-AuroraParameter | Where-Object { -not $Exceptions.ContainsKey("$($_.Cmdlet)/$($_.Name)") })
        $parameters.Count | Should -BeGreaterThan 100
        @($parameters | Where-Object Name -eq 'Endpoint').Count | Should -BeGreaterThan 10
        Find-ParameterDifference $parameters | Should -BeNullOrEmpty
    }

    It 'reports two cmdlets that give one name different aliases or types' {
        $made = @(
            [pscustomobject]@{ Cmdlet = 'Get-A'; Name = 'Endpoint'; Type = 'System.String'; Aliases = 'Server' }
            [pscustomobject]@{ Cmdlet = 'Get-B'; Name = 'Endpoint'; Type = 'System.String'; Aliases = 'Hostname, Server' }
            [pscustomobject]@{ Cmdlet = 'Get-C'; Name = 'Port'; Type = 'System.Int32'; Aliases = '' }
            [pscustomobject]@{ Cmdlet = 'Get-D'; Name = 'Port'; Type = 'System.String'; Aliases = '' }
            [pscustomobject]@{ Cmdlet = 'Get-E'; Name = 'User'; Type = 'System.String'; Aliases = '' }
            [pscustomobject]@{ Cmdlet = 'Get-F'; Name = 'User'; Type = 'System.String'; Aliases = '' }
        )
        $found = @(Find-ParameterDifference $made)
        $found.Count | Should -Be 2
        $found[0] | Should -Match '^-Endpoint: '
        $found[0] | Should -Match 'Get-A' -Because 'both sides are named'
        $found[0] | Should -Match 'Get-B'
        $found[1] | Should -Match '^-Port: \[System.Int32\].*\[System.String\]'
    }

    It 'says in the help why a deliberate difference is there' {
        foreach ($key in $Exceptions.Keys) {
            $cmdlet, $name = $key -split '/'
            Get-Command $cmdlet | Should -HaveParameter $name
            (Get-Help $cmdlet -Parameter $name | Out-String -Width 200) | Should -Match $Exceptions[$key]
        }
    }

    It 'gives -TlsVersion one meaning: the protocols offered; the floor a cluster allows is -MinimumTlsVersion' {
        foreach ($command in Get-Command -Module AuroraSecurity -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('TlsVersion') }) {
            $command.Parameters['TlsVersion'].ParameterType | Should -Be ([string[]]) -Because $command.Name
        }
        Get-Command Set-AuroraTlsVersion | Should -HaveParameter MinimumTlsVersion -Type string -Mandatory
        Get-Command Set-AuroraTlsVersion | Should -Not -HaveParameter TlsVersion
    }

    It 'names what a client offers -TlsVersion and -TlsCipherSuite; -Cipher is only the cluster''s ssl_cipher list' {
        $commands = @(Get-Command -Module AuroraSecurity -CommandType Cmdlet)
        @($commands | Where-Object { $_.Parameters.ContainsKey('Protocol') }).Name | Should -BeNullOrEmpty
        @($commands | Where-Object { $_.Parameters.ContainsKey('Cipher') }).Name | Should -Be @('Set-AuroraCipherSuite')
        foreach ($name in 'Connect-AuroraMySql', 'Test-AuroraTlsEndpoint') {
            Get-Command $name | Should -HaveParameter TlsVersion -Type 'string[]'
            Get-Command $name | Should -HaveParameter TlsCipherSuite -Type 'string[]'
        }
    }

    It 'takes an endpoint as -Endpoint, -Server, -Address or -SqlInstance everywhere, and -HostName only for an account''s host' {
        foreach ($command in Get-Command -Module AuroraSecurity -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('Endpoint') }) {
            @($command.Parameters['Endpoint'].Aliases | Sort-Object) | Should -Be @('Address', 'Server', 'SqlInstance') -Because $command.Name
        }
    }
}

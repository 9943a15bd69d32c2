# Reads the MAML file the build wrote and holds it to the code: every default value, alias, wildcard and pipeline
# input the code defines shows in Get-Help, and no CLR wrapper type names leak.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Commands = Get-Command -Module AuroraSecurity -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    Import-Module (Join-Path $RepoRoot 'build/HelpPages.psm1') -Force
    $script:ModuleFolder = Split-Path $ModuleManifest
    $script:MamlPath = Join-Path $ModuleFolder 'en-US/AuroraSecurity.PowerShell.dll-Help.xml'
    $script:Maml = [xml](Get-Content $MamlPath -Raw)
    $script:Ns = [System.Xml.XmlNamespaceManager]::new($Maml.NameTable)
    $Ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
    $Ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
    $Ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'The help file of <Name>' -ForEach $Commands -Tag 'None' {
    BeforeAll {
        $command = Get-Command $Name
        $node = $Maml.SelectSingleNode("//command:command[command:details/command:name='$Name']", $Ns)
        $parameters = @{}
        foreach ($p in $node.SelectNodes('command:parameters/command:parameter', $Ns)) {
            $parameters[$p.SelectSingleNode('maml:name', $Ns).InnerText] = $p
        }
        $defaults = Get-ParameterDefault -Command $command
    }

    It 'shows every default value the code sets' {
        foreach ($name in $command.Parameters.Keys | Where-Object { $Common -notcontains $_ }) {
            $value = $parameters[$name].SelectSingleNode('dev:defaultValue', $Ns).InnerText
            $value | Should -Not -BeNullOrEmpty -Because "-$name needs a default value in help (None when it has none)"
            $value | Should -Be $defaults[$name] -Because "-$name defaults to '$($defaults[$name])' in the code"
        }
    }

    It 'shows every alias the code defines' {
        foreach ($name in $command.Parameters.Keys | Where-Object { $Common -notcontains $_ }) {
            $shown = $parameters[$name].GetAttribute('aliases') -split ',\s*'
            foreach ($alias in $command.Parameters[$name].Aliases) {
                $shown | Should -Contain $alias -Because "-$name has the alias $alias"
            }
            if (@($command.Parameters[$name].Aliases).Count -eq 0) { $shown | Should -Be 'none' }
        }
    }

    It 'says which parameters take wildcards and pipeline input, as the code does' {
        foreach ($name in $command.Parameters.Keys | Where-Object { $Common -notcontains $_ }) {
            $meta = $command.Parameters[$name]
            $wildcards = [bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $parameters[$name].GetAttribute('globbing') | Should -Be $wildcards.ToString().ToLowerInvariant() -Because "-$name"
            $piped = [bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) })
            $parameters[$name].GetAttribute('pipelineInput') | Should -BeLike "$piped*" -Because "-$name"
        }
    }

    It 'names types as the user types them, never Nullable`1' {
        $node.OuterXml | Should -Not -Match 'Nullable'
    }

    It 'has inputs, outputs and related links' {
        $node.SelectNodes('command:inputTypes/command:inputType', $Ns).Count | Should -BeGreaterThan 0
        $node.SelectNodes('command:returnValues/command:returnValue', $Ns).Count | Should -BeGreaterThan 0
        $links = @($node.SelectNodes('maml:relatedLinks/maml:navigationLink/maml:linkText', $Ns).InnerText)
        $links | Should -Contain 'about_AuroraSecurity'
        $links[0] | Should -Be 'Online version:'
    }

    It 'shows the metadata in Get-Help' {
        $help = Get-Help $Name -Full
        $help.relatedLinks.navigationLink.uri | Where-Object { $_ } | Should -BeLike "*/docs/help/$Name.md"
        ($help | Out-String -Width 200) | Should -Not -Match 'Nullable`1'
    }
}

Describe 'Module-wide help' -Tag 'None' {
    It 'has an about_AuroraSecurity topic on sessions, credentials, TLS modes and the audit' {
        $about = Get-Help about_AuroraSecurity | Out-String
        $about | Should -Match 'DATABASE CREDENTIALS AND SESSIONS'
        $about | Should -Match 'TLS MODES'
        $about | Should -Match 'NotApplicable'
        $about | Should -Match '-ErrorAction Stop'
    }

    It 'has HelpInfoUri and ProjectUri in its manifest' {
        $module = Get-Module AuroraSecurity
        $module.HelpInfoUri | Should -Match '^https://'
        $module.ProjectUri | Should -Match '^https://'
    }

    It 'shows the default values users asked for' {
        (Get-Help Get-AuroraTlsConfig -Parameter ThrottleLimit).defaultValue | Should -Be '8'
        (Get-Help Connect-AuroraMySql -Parameter SslMode).defaultValue | Should -Be 'VerifyFull'
        (Get-Help Connect-AuroraMySql -Parameter Port).defaultValue | Should -Be '3306'
        (Get-Help Get-AuroraDbUser -Parameter User).globbing | Should -Be 'true'
    }
}

# House rules every exported cmdlet must keep.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Cmdlets = @(Get-Command -Module AuroraSecurity -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    Import-Module (Join-Path $RepoRoot 'build/HelpPages.psm1') -Force
    $script:ChangeVerbs = 'Set', 'New', 'Remove', 'Enable', 'Disable', 'Grant', 'Revoke', 'Rename', 'Reset', 'Restart', 'Add', 'Clear', 'Stop', 'Register', 'Unregister', 'Update', 'Install', 'Uninstall'
    $script:ChangeCommands = @('Invoke-RdsKill')
    $script:NounExceptions = @('Invoke-RdsKill')
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'The module' -Tag 'None' {
    It 'exports the cmdlets its manifest lists, and no functions' {
        $manifest = Import-PowerShellDataFile $ModuleManifest
        $exported = (Get-Command -Module AuroraSecurity -CommandType Cmdlet).Name | Sort-Object
        @($manifest.CmdletsToExport | Sort-Object) | Should -Be $exported
        (Get-Command -Module AuroraSecurity -CommandType Function) | Should -BeNullOrEmpty
    }

    It 'does not ship System.Management.Automation.dll' {
        Get-ChildItem (Split-Path $ModuleManifest) -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'carries a build for PowerShell 7 and one for Windows PowerShell' {
        foreach ($framework in 'net8.0', 'netstandard2.0') {
            Join-Path (Split-Path $ModuleManifest) "$framework/AuroraSecurity.PowerShell.dll" | Should -Exist
            Join-Path (Split-Path $ModuleManifest) "$framework/Dependencies/AuroraSecurity.dll" | Should -Exist
        }
    }

    It 'loads its engine and dependencies in a load context of their own' {
        $null = Get-AuroraSupportedCipher -EngineVersion 3.05.2
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AuroraSecurity' }
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name | Should -Be 'AuroraSecurity.Dependencies'
    }
}

Describe 'Cmdlet <Name>' -ForEach $Cmdlets -Tag 'None' {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $pagePath = Join-Path $RepoRoot "docs/help/$Name.md"
    }

    It 'uses an approved verb and the Aurora noun prefix' {
        (Get-Verb).Verb | Should -Contain $command.Verb
        if ($NounExceptions -notcontains $Name) { $command.Noun | Should -BeLike 'Aurora*' }
    }

    It 'declares its output type' {
        $command.OutputType | Should -Not -BeNullOrEmpty
    }

    It 'has a help page with a synopsis, a description and an example' {
        $pagePath | Should -Exist
        $page = Read-HelpPage -Path $pagePath
        $page.Name | Should -Be $Name
        $page.Synopsis | Should -Not -BeNullOrEmpty
        $page.Description | Should -Not -BeNullOrEmpty
        $page.Examples.Count | Should -BeGreaterThan 0
        $help.Synopsis | Should -Be ($page.Synopsis -replace '\s+', ' ')
        @($help.Examples.Example).Count | Should -Be $page.Examples.Count
    }

    It 'documents every parameter' {
        $page = Read-HelpPage -Path $pagePath
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $Common -notcontains $_ }) {
            $page.Parameters.Keys | Should -Contain $parameter -Because "-$parameter needs a description in $pagePath"
            $page.Parameters[$parameter] | Should -Not -BeNullOrEmpty
        }
        foreach ($documented in $page.Parameters.Keys) {
            $command.Parameters.Keys | Should -Contain $documented -Because "$pagePath documents -$documented, which $Name does not have"
        }
    }

    It 'has examples that parse and call only commands and parameters that exist' {
        $page = Read-HelpPage -Path $pagePath
        foreach ($example in $page.Examples) {
            $tokens = $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($example.Code, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because "the example '$($example.Title)' must parse"
            foreach ($call in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $commandName = $call.GetCommandName()
                if (-not $commandName -or $commandName -notmatch '-') { continue }
                $target = Get-Command $commandName -ErrorAction SilentlyContinue
                if (-not $target) { continue }
                if ($target.Source -ne 'AuroraSecurity') { continue }
                foreach ($parameter in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                    $names = @($target.Parameters.Keys) + @($target.Parameters.Values.Aliases)
                    $names | Should -Contain $parameter.ParameterName -Because "$commandName in '$($example.Title)' has no -$($parameter.ParameterName)"
                }
            }
        }
    }

    It 'supports -WhatIf and -Confirm when it changes anything' {
        if ($ChangeVerbs -contains $command.Verb -or $ChangeCommands -contains $Name) {
            $command.Parameters.Keys | Should -Contain 'WhatIf'
            $command.Parameters.Keys | Should -Contain 'Confirm'
        }
    }

    It 'has a format view when its output has more than four properties' {
        foreach ($type in $command.OutputType.Type | Where-Object { $_ -and $_ -ne [void] }) {
            $properties = @($type.GetProperties() | Where-Object { $_.GetMethod.IsPublic })
            if ($properties.Count -gt 4) {
                Get-FormatData -TypeName $type.FullName | Should -Not -BeNullOrEmpty -Because "$($type.FullName) has $($properties.Count) properties"
            }
        }
    }

    It 'has a Pester test of what a user sees' {
        $mentions = Get-ChildItem $PSScriptRoot -Filter '*.Tests.ps1' |
            Where-Object Name -ne 'Module.Tests.ps1' |
            Select-String -SimpleMatch $Name
        $mentions | Should -Not -BeNullOrEmpty
    }
}

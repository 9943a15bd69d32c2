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
    It 'names in its manifest exactly the cmdlets compiled into it' {
        $assembly = [AuroraSecurity.PowerShell.ModuleInitializer].Assembly
        $compiled = @($assembly.GetTypes() | ForEach-Object {
                foreach ($attribute in $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)) { "$($attribute.VerbName)-$($attribute.NounName)" }
            } | Sort-Object)
        $sourceManifest = Join-Path $RepoRoot 'AuroraSecurity.psd1'
        $listed = @((Read-ManifestData $sourceManifest).CmdletsToExport)
        $listed | Should -Not -Contain '*' -Because 'a wildcard makes PowerShell import the module to find out what it exports'
        $missing = @($compiled | Where-Object { $listed -notcontains $_ })
        $extra = @($listed | Where-Object { $compiled -notcontains $_ })
        $missing | Should -BeNullOrEmpty -Because "every cmdlet must be named in CmdletsToExport: add $(($missing | ForEach-Object { "'$_'" }) -join ', ') to CmdletsToExport in AuroraSecurity.psd1 (at the repository root; the list is sorted)"
        $extra | Should -BeNullOrEmpty -Because "CmdletsToExport names cmdlets no class declares: remove $(($extra | ForEach-Object { "'$_'" }) -join ', ') from CmdletsToExport in AuroraSecurity.psd1"
        @($listed | Sort-Object) | Should -Be @($listed) -Because 'CmdletsToExport in AuroraSecurity.psd1 is kept sorted'
    }

    It 'exports what its manifest lists, and no functions' {
        $manifest = Read-ManifestData $ModuleManifest
        $exported = (Get-Command -Module AuroraSecurity -CommandType Cmdlet).Name | Sort-Object
        @($manifest.CmdletsToExport | Sort-Object) | Should -Be $exported
        (Get-Command -Module AuroraSecurity -CommandType Function) | Should -BeNullOrEmpty
        @((Get-Command -Module AuroraSecurity -CommandType Alias).Name) | Should -Be @($manifest.AliasesToExport)
    }

    It 'offers Invoke-RdsKill under an Aurora name too, Stop-AuroraSession, which takes what Get-AuroraSession writes' {
        $alias = Get-Alias Stop-AuroraSession
        $alias.ResolvedCommandName | Should -Be 'Invoke-RdsKill'
        $alias.ModuleName | Should -Be 'AuroraSecurity'
        (Get-Help Invoke-RdsKill -Full | Out-String -Width 200) | Should -Match 'Stop-AuroraSession'
    }

    It 'reports every failure with FullyQualifiedErrorId made of the error id and the cmdlet class, and the category of its kind' {
        $null = Get-AuroraSupportedCipher -EngineVersion 'not-a-version' -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -Be 'EngineVersionInvalid,AuroraSecurity.PowerShell.Commands.GetAuroraSupportedCipherCommand'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'

        # AWS configuration failures come through the same door: no region anywhere.
        $names = 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED'
        $saved = @{}
        foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $null) }
        $missing = Join-Path ([IO.Path]::GetTempPath()) "aurora-no-aws-$([guid]::NewGuid())"
        $env:AWS_CONFIG_FILE = $missing; $env:AWS_SHARED_CREDENTIALS_FILE = $missing; $env:AWS_EC2_METADATA_DISABLED = 'true'
        Remove-Variable -Scope Global -Name StoredAWSRegion, StoredAWSCredentials -ErrorAction SilentlyContinue
        try {
            $record = $null
            try { Get-AuroraCluster -AccessKey AKIDNOREGION0000001 -SecretKey 'not-used' } catch { $record = $_ }
            $record | Should -Not -BeNullOrEmpty -Because 'without a region nothing can be asked'
            $record.FullyQualifiedErrorId | Should -Be 'AwsConfiguration,AuroraSecurity.PowerShell.Commands.GetAuroraClusterCommand'
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        finally {
            foreach ($name in $names) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    It 'is found by Get-Command without being imported, and auto-loads on first use' {
        # A fresh process: this run has imported the module already. A wildcard search reads the manifest's list without
        # importing; Get-Command -Module lists every cmdlet; the first call of a cmdlet imports the module by itself.
        $folder = Split-Path (Split-Path (Split-Path $ModuleManifest))
        $script = "`$env:PSModulePath = '$folder' + [IO.Path]::PathSeparator + `$env:PSModulePath; " +
            "`$found = @(Get-Command -Noun Aurora*, RdsKill).Count; `$loaded = [bool](Get-Module AuroraSecurity); " +
            "`$listed = @(Get-Command -Module AuroraSecurity -CommandType Cmdlet).Count; " +
            "`$alias = (Get-Command Stop-AuroraSession).ResolvedCommandName; " +
            "`$cipher = @(Get-AuroraSupportedCipher -EngineVersion 3.05.2).Count -gt 0; " +
            "`"`$found `$loaded `$listed `$alias `$cipher `$([bool](Get-Module AuroraSecurity))`""
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $output = if (Test-Path $pwsh) { & $pwsh -NoProfile -NonInteractive -Command $script } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script }
        $manifest = Read-ManifestData $ModuleManifest
        $count = @($manifest.CmdletsToExport).Count
        $named = $count + @($manifest.AliasesToExport).Count
        $output | Should -Be "$named False $count Invoke-RdsKill True True"
    }

    It 'lists its cmdlet types without the engine, which loads on first use into the module''s own load context' {
        # PowerShell lists the cmdlet assembly's types at import, before the module's resolver is in place (OnImport runs
        # after): a cmdlet class with a field of an engine enum or struct needs the engine then, which is not found.
        # A fresh process; the assembly alone, with no resolver, must give its types.
        $assembly = Join-Path (Split-Path $ModuleManifest) 'net8.0/AuroraSecurity.PowerShell.dll'
        $script = "`$ErrorActionPreference = 'Stop'; " +
            "try { `$types = @([Reflection.Assembly]::LoadFrom('$assembly').GetExportedTypes()).Count; `"types `$types`" } catch { `"failed: `$(`$_.Exception.InnerException.Message)`" }; " +
            "Import-Module '$ModuleManifest'; `$null = Get-AuroraSupportedCipher -EngineVersion 3.05.2; " +
            "`$engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AuroraSecurity' }; " +
            "`"`$(@(`$engine).Count) `$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$engine).Name)`""
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $output = if (Test-Path $pwsh) { & $pwsh -NoProfile -NonInteractive -Command $script } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script }
        $output[0] | Should -Match '^types \d+$' -Because 'no cmdlet class may derive from an engine type or hold a field of an engine value type (keep such a value as a number, or work it out in a property)'
        $output[1] | Should -Be '1 AuroraSecurity.Dependencies'
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

Describe 'Messages name only what the user has' -Tag 'None' {
    It 'names in RDS and AWS configuration messages only parameters every RDS cmdlet has' {
        # Advice about a parameter only some cmdlets have goes through WithAdvice, which each cmdlet shows only if it has it.
        $named = foreach ($file in Get-ChildItem (Join-Path $RepoRoot 'src/AuroraSecurity/Rds') -Filter *.cs -Recurse) {
            foreach ($line in Get-Content $file.FullName | Where-Object { $_ -notmatch 'WithAdvice\(' }) {
                # A parameter is a dash and a capitalised word after a space, '(' or '/', not one of another command ("Get-AWSCredential -ListProfileDetail").
                [regex]::Matches($line, '(?<![A-Za-z]+-[A-Za-z]+ )(?<=[\s(/])-([A-Z][a-z]+[A-Za-z]*)\b') | ForEach-Object { $_.Groups[1].Value }
            }
        }
        $named = @($named | Sort-Object -Unique)
        $named | Should -Contain 'Region' -Because 'the scan finds the parameters RDS messages name'
        $awsBase = [AuroraSecurity.PowerShell.ModuleInitializer].Assembly.GetType('AuroraSecurity.PowerShell.Commands.AwsCmdletBase')
        $rdsCmdlets = @(Get-Command -Module AuroraSecurity -CommandType Cmdlet | Where-Object { $_.ImplementingType.IsSubclassOf($awsBase) })
        $rdsCmdlets.Count | Should -BeGreaterThan 5
        $missing = foreach ($cmdlet in $rdsCmdlets) {
            foreach ($name in $named) { if (-not $cmdlet.Parameters.ContainsKey($name)) { "$($cmdlet.Name) -$name" } }
        }
        $missing | Should -BeNullOrEmpty -Because 'a message must not tell the user to use a parameter the cmdlet lacks'
    }
}

Describe 'Advice about a parameter only some cmdlets have' -Tag 'RdsDouble' {
    BeforeAll {
        $script:Throttled = Start-RdsDouble -ThrottleRps 0.001
        $script:ThrottledAws = Get-RdsDoubleParameters $Throttled
        # The bucket starts with one token: spend it, so every later request is throttled.
        try { Get-AuroraCluster -ClusterIdentifier orders @ThrottledAws -ErrorAction Stop | Out-Null } catch { }
    }

    AfterAll {
        Stop-RdsDouble $Throttled
    }

    It 'is shown by a cmdlet with that parameter and left out by one without it' {
        $withLimit = $null
        try { Get-AuroraTlsConfig -ClusterIdentifier orders @ThrottledAws -ErrorAction Stop | Out-Null } catch { $withLimit = $_ }
        $withLimit.FullyQualifiedErrorId | Should -BeLike 'RdsThrottled,*'
        $withLimit.ErrorDetails.Message | Should -Match 'lower -ThrottleLimit'
        $withLimit.Exception.Message | Should -Not -Match 'ThrottleLimit'

        $without = $null
        try { Get-AuroraEngineDefaultParameter -Family aurora-mysql8.0 @ThrottledAws -ErrorAction Stop | Out-Null } catch { $without = $_ }
        $without.FullyQualifiedErrorId | Should -BeLike 'RdsThrottled,*'
        "$($without.ErrorDetails.Message) $($without.Exception.Message)" | Should -Not -Match 'ThrottleLimit'
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

    It 'has -Force when it asks for confirmation before a change' {
        $impact = ($command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) | Select-Object -First 1).ConfirmImpact
        if ($command.Parameters.Keys -contains 'Confirm' -and $impact -ne 'Low') {
            $command | Should -HaveParameter Force -Type switch -Because 'every cmdlet that can prompt takes -Force, so a script can go ahead without one'
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

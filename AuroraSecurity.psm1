# Loads the cmdlet assembly built for this edition of PowerShell: the .NET 8 build on PowerShell 7, the
# .NET Standard 2.0 build on Windows PowerShell 5.1. The engine and its dependencies load from the build's
# Dependencies folder through a resolver that must be in place before PowerShell inspects the cmdlets.
# Only the engine's own commands and .NET are used here: a command of another module (Join-Path, Set-Alias) would
# import that whole module first, which costs more than everything else this file does.
$framework = if ($PSEdition -eq 'Core') { 'net8.0' } else { 'netstandard2.0' }
$path = [System.IO.Path]::Combine($PSScriptRoot, $framework, 'AuroraSecurity.PowerShell.dll')
$assembly = [System.Reflection.Assembly]::LoadFrom($path)
$null = $assembly.GetType('AuroraSecurity.PowerShell.ModuleInitializer', $true).GetMethod('Register').Invoke($null, $null)
$binary = Import-Module -Name $path -PassThru -ErrorAction Stop
# Invoke-RdsKill keeps the name Aurora's stored procedure gave it; the alias puts it beside Get-AuroraSession. PowerShell 7
# takes it from the cmdlet class's [Alias]; Windows PowerShell does not read that attribute, so it is made here.
if ($PSEdition -ne 'Core') { Set-Alias -Name Stop-AuroraSession -Value Invoke-RdsKill }
Export-ModuleMember -Cmdlet @($binary.ExportedCmdlets.Keys) -Alias Stop-AuroraSession

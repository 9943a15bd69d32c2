# Loads the cmdlet assembly built for this edition of PowerShell: the .NET 8 build on PowerShell 7, the
# .NET Standard 2.0 build on Windows PowerShell 5.1. The engine and its dependencies load from the build's
# Dependencies folder through a resolver that must be in place before PowerShell inspects the cmdlets.
$framework = if ($PSEdition -eq 'Core') { 'net8.0' } else { 'netstandard2.0' }
$assembly = Join-Path $PSScriptRoot "$framework/AuroraSecurity.PowerShell.dll"
$null = [System.Reflection.Assembly]::LoadFrom($assembly)
[AuroraSecurity.PowerShell.ModuleInitializer]::Register()
$binary = Import-Module -Name $assembly -PassThru -ErrorAction Stop
# Invoke-RdsKill keeps the name Aurora's stored procedure gave it; the alias puts it beside Get-AuroraSession.
Set-Alias -Name Stop-AuroraSession -Value Invoke-RdsKill
Export-ModuleMember -Cmdlet @($binary.ExportedCmdlets.Keys) -Alias Stop-AuroraSession

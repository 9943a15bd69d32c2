# Loaded on Windows PowerShell 5.1 only (NestedModules in AuroraSecurity.psd1). Invoke-RdsKill keeps the name Aurora's
# stored procedure gave it; the alias Stop-AuroraSession puts it beside Get-AuroraSession. PowerShell 7 takes the alias
# from the cmdlet class's [Alias]; Windows PowerShell does not read that attribute, so it is made here.
Set-Alias -Name Stop-AuroraSession -Value Invoke-RdsKill
Export-ModuleMember -Alias Stop-AuroraSession

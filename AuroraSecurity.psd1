@{
    # The cmdlet assembly itself is the root module: the .NET 8 build on PowerShell 7, the .NET Standard 2.0 build on
    # Windows PowerShell 5.1. A script module in between would cost more at import than everything else together.
    RootModule           = if ($PSEdition -eq 'Core') { 'net8.0/AuroraSecurity.PowerShell.dll' } else { 'netstandard2.0/AuroraSecurity.PowerShell.dll' }
    # Windows PowerShell does not read the [Alias] of a cmdlet class; this small script module makes Stop-AuroraSession there.
    NestedModules        = @(if ($PSEdition -eq 'Desktop') { 'AuroraSecurity.Desktop.psm1' })
    ModuleVersion        = '0.1.0'
    GUID                 = 'a7d3c1e2-5b64-4f0e-9a1d-2c8e6f4b9d31'
    Author               = 'AuroraSecurity contributors'
    CompanyName          = 'AuroraSecurity'
    Copyright            = '(c) AuroraSecurity contributors. Apache License 2.0.'
    Description          = 'Manage and audit the security of Amazon Aurora MySQL clusters: TLS posture through cluster parameter groups, verified encrypted connections, accounts, IAM database authentication and sessions.'
    PowerShellVersion    = '5.1'
    HelpInfoURI          = 'https://github.com/AuroraSecurity/AuroraSecurity/tree/main/docs/help'
    CompatiblePSEditions = @('Core', 'Desktop')
    FormatsToProcess     = @('AuroraSecurity.Format.ps1xml')
    FunctionsToExport    = @()
    # Every cmdlet by name, so Get-Command and command auto-loading find them without importing the module first.
    # Module.Tests.ps1 keeps this list equal to the cmdlets compiled into the module.
    CmdletsToExport      = @(
        'Connect-AuroraMySql',
        'ConvertTo-AuroraAsff',
        'Disable-AuroraIamAuthentication',
        'Disable-AuroraSecureTransport',
        'Disconnect-AuroraMySql',
        'Enable-AuroraIamAuthentication',
        'Enable-AuroraSecureTransport',
        'Export-AuroraSecurityReport',
        'Get-AuroraCluster',
        'Get-AuroraConnectionGuide',
        'Get-AuroraDbUser',
        'Get-AuroraEngineDefaultParameter',
        'Get-AuroraIamPolicy',
        'Get-AuroraSecurityCheck',
        'Get-AuroraSession',
        'Get-AuroraSupportedCipher',
        'Get-AuroraTlsConfig',
        'Grant-AuroraPrivilege',
        'Invoke-AuroraSecurityAudit',
        'Invoke-RdsKill',
        'New-AuroraAuthToken',
        'New-AuroraDbUser',
        'New-AuroraSecurityBaseline',
        'Remove-AuroraDbUser',
        'Rename-AuroraDbUser',
        'Repair-AuroraSecurityFinding',
        'Revoke-AuroraPrivilege',
        'Set-AuroraCipherSuite',
        'Set-AuroraDbUserPassword',
        'Set-AuroraTlsVersion',
        'Set-AuroraUserSsl',
        'Test-AuroraMasterUserUsage',
        'Test-AuroraTlsConnection',
        'Test-AuroraTlsEndpoint',
        'Test-AuroraUserSsl'
    )
    VariablesToExport    = @()
    AliasesToExport      = @('Stop-AuroraSession')
    PrivateData          = @{
        PSData = @{
            Tags       = @('Aurora', 'MySQL', 'RDS', 'AWS', 'TLS', 'Security', 'Compliance', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri = 'https://www.apache.org/licenses/LICENSE-2.0'
            ProjectUri = 'https://github.com/AuroraSecurity/AuroraSecurity'
        }
    }
}

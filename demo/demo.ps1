# The module against the local sandbox: what a DBA sees. Started by ./build.ps1 -Task Demo.
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [Parameter(Mandatory)][string] $SandboxFile
)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$sandbox = Get-Content $SandboxFile -Raw | ConvertFrom-Json
$admin = [pscredential]::new($sandbox.adminUser, (ConvertTo-SecureString $sandbox.adminPassword -AsPlainText -Force))

function Show-Step([string] $Title) { Write-Host "`n== $Title" -ForegroundColor Cyan }

Show-Step 'Ciphers an Aurora MySQL 2.11.2 cluster accepts in ssl_cipher'
Get-AuroraSupportedCipher -EngineVersion 5.7.mysql_aurora.2.11.2 | Format-Table | Out-Host

Show-Step 'Ciphers an Aurora MySQL 3.05.2 cluster accepts'
Get-AuroraSupportedCipher -EngineVersion 8.0.mysql_aurora.3.05.2 | Format-Table Cipher, Protocol, Supported | Out-Host

Show-Step "A verified TLS connection (VerifyFull against the sandbox CA) to $($sandbox.host):$($sandbox.port)"
$session = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $admin -SslCa $sandbox.caFile
$session | Format-List Endpoint, Port, User, ServerKind, ServerVersion, SslMode, CaFile, TlsProtocol, TlsCipher | Out-Host

Show-Step 'A CA that did not sign the server certificate is refused'
Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $admin -SslCa $sandbox.wrongCaFile -ErrorAction SilentlyContinue -ErrorVariable refused | Out-Null
Write-Host $refused[0].Exception.Message

Show-Step 'Proving the connection: certificate, chain, name (the cluster endpoint verifies through the SAN) and plaintext refusal'
Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -ServerName $sandbox.clusterEndpoint -SqlCredential $admin -SslCa $sandbox.caFile -WarningAction Continue |
    Format-List Endpoint, ServerName, Connected, Verified, TlsProtocol, Cipher, Subject, SubjectAlternativeNames, DaysUntilExpiry, ChainValid, MatchedBy, InsecureRefused | Out-Host

$session | Disconnect-AuroraMySql
Write-Host "`nDemo finished." -ForegroundColor Green

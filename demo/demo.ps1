# The module against the local sandbox (TLS 1.2 only, as Aurora MySQL) and the RDS API double: what a DBA sees.
# Started by ./build.ps1 -Task Demo.
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [Parameter(Mandatory)][string] $SandboxFile,
    # The RDS API double's endpoint and keys (build.ps1 starts it); without it the RDS part is skipped.
    [string] $RdsEndpoint,
    [string] $RdsAccessKey,
    [string] $RdsSecretKey
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

Show-Step 'An application session, found with Get-AuroraSession and ended with Invoke-RdsKill (CALL mysql.rds_kill)'
$appCredential = [pscredential]::new('orders_app', (ConvertTo-SecureString ('Demo-' + [guid]::NewGuid().ToString('N')) -AsPlainText -Force))
$null = New-AuroraDbUser -Session $session -UserCredential $appCredential -Confirm:$false
$null = Grant-AuroraPrivilege -Session $session -Privilege SELECT -On '*.*' -User orders_app -Confirm:$false
$app = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $appCredential -SslCa $sandbox.caFile
Get-AuroraSession -Session $session -User orders_app | Format-Table | Out-Host
Get-AuroraSession -Session $session -User orders_app | Invoke-RdsKill -Force | Format-Table | Out-Host
Get-AuroraSession -Session $app -ErrorAction SilentlyContinue -ErrorVariable gone | Out-Null
Write-Host "The application's next statement fails: $($gone[0].Exception.Message)"
Show-Step 'Who uses the master user?'
$usage = Test-AuroraMasterUserUsage -Session $session -MasterUser $sandbox.adminUser
if ($usage) { $usage | Format-Table | Out-Host } else { Write-Host "No session but this one uses the master user '$($sandbox.adminUser)'." }
Remove-AuroraDbUser -Session $session -User orders_app -Confirm:$false
Show-Step 'Accounts that may log in without TLS (Test-AuroraUserSsl), and one fixed with Set-AuroraUserSsl -Require'
$appCredential = [pscredential]::new('demo_app', (ConvertTo-SecureString ([guid]::NewGuid().ToString('N')) -AsPlainText -Force))
$null = New-AuroraDbUser -Session $session -UserCredential $appCredential -NoRequireSsl
Test-AuroraUserSsl -Session $session | Format-Table User, Host, SslType, IsReserved, IsMasterUser, IsRole, Compliant | Out-Host
Test-AuroraUserSsl -Session $session -User demo_app | Where-Object { -not $_.RequiresSsl } | Set-AuroraUserSsl -Session $session -Require | Format-Table | Out-Host
Remove-AuroraDbUser -Session $session -User rdsadmin -HostName localhost -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable guarded
Write-Host $guarded[0].Exception.Message
Remove-AuroraDbUser -Session $session -User demo_app -Confirm:$false
Show-Step 'Proving the connection: certificate, chain, name (the cluster endpoint verifies through the SAN) and plaintext refusal'
Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -ServerName $sandbox.clusterEndpoint -SqlCredential $admin -SslCa $sandbox.caFile -WarningAction Continue |
    Format-List Endpoint, ServerName, Connected, Verified, TlsProtocol, Cipher, Subject, SubjectAlternativeNames, DaysUntilExpiry, ChainValid, MatchedBy, InsecureRefused | Out-Host

$session | Disconnect-AuroraMySql

if ($RdsEndpoint) {
    $aws = @{ EndpointUrl = $RdsEndpoint; Region = 'us-east-1'; AccessKey = $RdsAccessKey; SecretKey = $RdsSecretKey }
    Show-Step "TLS posture of the Aurora MySQL clusters in the RDS API double ($RdsEndpoint)"
    Get-AuroraTlsConfig @aws | Format-Table | Out-Host

    Show-Step 'Clusters that still accept unencrypted connections'
    Get-AuroraTlsConfig @aws | Where-Object { -not $_.RequireSecureTransport } | Format-Table ClusterIdentifier, ParameterGroupName, IsDefaultParameterGroup | Out-Host

    Show-Step 'A PostgreSQL cluster named explicitly is refused with the reason'
    Get-AuroraTlsConfig -ClusterIdentifier reports-pg @aws -ErrorAction SilentlyContinue -ErrorVariable notMySql | Out-Null
    Write-Host $notMySql[0].Exception.Message

    Show-Step 'Security audit of the fleet: every finding that is not a pass'
    Invoke-AuroraSecurityAudit @aws | Where-Object Status -ne Pass | Format-Table | Out-Host

    Show-Step 'legacy before: TLS optional, TLS 1.0 allowed, DHE ciphers'
    Get-AuroraTlsConfig legacy @aws | Format-List ClusterIdentifier, EngineVersion, ParameterGroupName, RequireSecureTransport, TlsVersion, SslCipher, PendingRebootMembers | Out-Host

    Show-Step 'Require TLS on legacy (dynamic: no reboot)'
    Enable-AuroraSecureTransport -ClusterIdentifier legacy -Force @aws | Format-List ClusterIdentifier, Change, RequireSecureTransport, ChangeNote | Out-Host

    Show-Step 'ECDHE ciphers are refused on legacy: 2.10.1 predates them'
    Set-AuroraCipherSuite -ClusterIdentifier legacy -Cipher ECDHE-RSA-AES256-GCM-SHA384 -Force @aws -ErrorAction SilentlyContinue -ErrorVariable refusedCipher | Out-Null
    Write-Host $refusedCipher[0].Exception.Message

    Show-Step 'AES-GCM ciphers the release supports, and TLS 1.2 only (static: pending-reboot)'
    Get-AuroraTlsConfig legacy @aws | Set-AuroraCipherSuite -Cipher DHE-RSA-AES256-GCM-SHA384, DHE-RSA-AES128-GCM-SHA256 -Force @aws | Out-Null
    Set-AuroraTlsVersion -ClusterIdentifier legacy -TlsVersion TLSv1.2 -Force @aws | Out-Null

    Show-Step 'legacy after'
    Get-AuroraTlsConfig legacy @aws | Format-List ClusterIdentifier, RequireSecureTransport, TlsVersion, TlsProtocols, SslCipher, PendingRebootMembers | Out-Host

    Show-Step 'Running it again changes nothing'
    (Enable-AuroraSecureTransport -ClusterIdentifier legacy @aws).Change | Out-Host

    Show-Step 'inventory uses a default group: RDS never changes those; -WhatIf shows the way out'
    Enable-AuroraSecureTransport -ClusterIdentifier inventory @aws -ErrorAction SilentlyContinue -ErrorVariable refusedGroup | Out-Null
    Write-Host $refusedGroup[0].Exception.Message
    Enable-AuroraSecureTransport -ClusterIdentifier inventory -CreateCustomGroup -WhatIf @aws | Out-Null
}
Write-Host "`nDemo finished." -ForegroundColor Green

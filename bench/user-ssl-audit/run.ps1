# Test-AuroraUserSsl over 20,000 accounts against the mariadb client running the same query over verified TLS:
# medians of interleaved runs, both writing every row. Target: at most 2x. Also shows that memory stays flat
# while the rows stream. Starts its own sandbox and stops it.
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [int] $Accounts = 20000,
    [int] $Runs = 7
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module $ModuleManifest

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

$lines = & bash (Join-Path $root 'tests/sandbox/start.sh') --name bench-user-ssl
if ($LASTEXITCODE -ne 0) { throw "The sandbox did not start:`n$($lines -join "`n")" }
$stateFile = ($lines | Select-Object -Last 1).Trim()
try {
    $sandbox = Get-Content $stateFile -Raw | ConvertFrom-Json
    $rootClient = @('--no-defaults', '--protocol=socket', "--socket=$($sandbox.socket)", "-u$($sandbox.rootSocketUser)")

    # Accounts in bulk through root, written straight into MariaDB's privilege table (one CREATE USER each takes
    # minutes for 20,000): a quarter without a TLS requirement, the rest with REQUIRE SSL (ssl_type 1) or X509 (2).
    $insert = "INSERT INTO mysql.global_priv (Host, User, Priv) SELECT '10.0.%', CONCAT('bench_', seq), " +
        "JSON_OBJECT('access', 0, 'plugin', 'mysql_native_password', 'authentication_string', '*7B9EBEED26AA52ED10C0F549FA863F13C39E0209', " +
        "'ssl_type', CASE seq % 4 WHEN 0 THEN 0 WHEN 1 THEN 2 ELSE 1 END, 'ssl_cipher', '', 'x509_issuer', '', 'x509_subject', '') " +
        "FROM seq_1_to_$Accounts; FLUSH PRIVILEGES;"
    $created = Measure-Command { & mariadb @rootClient -D mysql -e $insert; if ($LASTEXITCODE -ne 0) { throw 'Creating the accounts failed.' } }
    $count = [int](& mariadb @rootClient --batch --skip-column-names -e 'SELECT COUNT(*) FROM mysql.user')
    '{0,-44} {1,10:N0}   ({2:N1} s to create)' -f 'accounts in mysql.user', $count, $created.TotalSeconds

    $query = "SELECT User, Host, ssl_type, plugin, is_role = 'Y' FROM mysql.user ORDER BY User, Host"
    $credential = [pscredential]::new($sandbox.adminUser, (ConvertTo-SecureString $sandbox.adminPassword -AsPlainText -Force))
    $connect = @{ Endpoint = $sandbox.host; Port = $sandbox.port; SqlCredential = $credential; SslCa = $sandbox.caFile }
    $session = Connect-AuroraMySql @connect

    $env:MYSQL_PWD = $sandbox.adminPassword
    $clientArgs = @('--no-defaults', "--ssl-ca=$($sandbox.caFile)", '--ssl-verify-server-cert', '-h', $sandbox.host, '-P', $sandbox.port, '-u', $sandbox.adminUser, '--batch', '-e', $query)
    $client = { & mariadb @clientArgs > ([IO.Path]::Combine($sandbox.stateDir, 'client-rows.txt')); if ($LASTEXITCODE -ne 0) { throw 'mariadb failed.' } }
    $ownConnection = { Test-AuroraUserSsl @connect | Out-Null }
    $onSession = { Test-AuroraUserSsl -Session $session | Out-Null }

    # Warm-up: JIT, the first TLS handshake of the process, disk caches.
    & $client; & $ownConnection; & $onSession
    $clientRows = (Get-Content (Join-Path $sandbox.stateDir 'client-rows.txt')).Count - 1
    $moduleRows = @(Test-AuroraUserSsl -Session $session).Count
    if ($clientRows -ne $moduleRows) { throw "The client read $clientRows rows, the cmdlet $moduleRows." }
    $withoutTls = @(Test-AuroraUserSsl -Session $session -User 'bench_*' | Where-Object { -not $_.Compliant }).Count
    if ($withoutTls -ne [math]::Floor($Accounts / 4)) { throw "Expected $([math]::Floor($Accounts / 4)) bench accounts without TLS, the cmdlet found $withoutTls." }
    '{0,-44} {1,10:N0}' -f 'bench accounts found without TLS', $withoutTls

    $times = @{ client = [Collections.Generic.List[double]]::new(); own = [Collections.Generic.List[double]]::new(); session = [Collections.Generic.List[double]]::new() }
    for ($i = 0; $i -lt $Runs; $i++) {
        $times.client.Add((Measure-Command $client).TotalMilliseconds)
        $times.own.Add((Measure-Command $ownConnection).TotalMilliseconds)
        $times.session.Add((Measure-Command $onSession).TotalMilliseconds)
    }
    Remove-Item Env:MYSQL_PWD

    $clientMedian = Get-Median $times.client
    $ownMedian = Get-Median $times.own
    $sessionMedian = Get-Median $times.session
    '{0,-44} {1,10:N0} ms' -f "mariadb client over TLS, $clientRows rows (median)", $clientMedian
    '{0,-44} {1,10:N0} ms' -f 'Test-AuroraUserSsl, own connection (median)', $ownMedian
    '{0,-44} {1,10:N0} ms' -f 'Test-AuroraUserSsl -Session (median)', $sessionMedian
    '{0,-44} {1,10:N2}x   (target <= 2x)' -f 'ratio Test-AuroraUserSsl / mariadb', ($ownMedian / $clientMedian)
    '{0,-44} {1,10:N2}x' -f 'ratio with -Session / mariadb', ($sessionMedian / $clientMedian)

    # Live managed memory (after a full collection) at every 2,000th row: flat when rows stream, not buffered.
    $samples = [Collections.Generic.List[double]]::new()
    $row = 0
    Test-AuroraUserSsl -Session $session | ForEach-Object { if ((++$row % 2000) -eq 0) { $samples.Add([GC]::GetTotalMemory($true) / 1MB) } }
    '{0,-44} {1,10:N1} MB at row 2,000, {2:N1} MB at row {3:N0}' -f 'live managed memory while streaming', $samples[0], $samples[$samples.Count - 1], ($samples.Count * 2000)
    $all = @(Test-AuroraUserSsl -Session $session)
    '{0,-44} {1,10:N1} MB with all {2:N0} rows held' -f 'for comparison, buffered', ([GC]::GetTotalMemory($true) / 1MB), $all.Count
    $session | Disconnect-AuroraMySql
}
finally {
    & bash (Join-Path $root 'tests/sandbox/stop.sh') (Split-Path $stateFile) | Out-Null
}

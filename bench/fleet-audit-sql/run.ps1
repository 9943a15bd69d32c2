# The security audit with SQL evidence over 50 clusters of the RDS double whose writer endpoints all point at one
# sandbox (MariaDB 10.11 with TLS), side by side with one mariadb client process over verified TLS running the same
# queries serially for each cluster. Per cluster: the audit (RDS reads, a verified TLS login, the accounts, global
# privileges, sessions and TLS variables) against the client's time for the same cluster. Runs alternate between the
# client and the audit, and each figure is the median of its runs.
# The baseline: 50 clusters are 50 servers, so the client, like the audit, logs in to each one: its `connect` command
# opens a new verified TLS session before each cluster's queries. The floor beside it runs every cluster's queries
# over one session that never logs in again, which no client auditing 50 servers can do: it shows what the queries
# alone cost.
# Targets: ThrottleLimit 1 at most 1.5x the client's time per cluster; near-linear speed-up from ThrottleLimit 1 to 8
# (bounded here by the cores the machine has: the sandbox, the double and the audit share them).
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [int] $Clusters = 50,
    [int] $Runs = 5,
    [int[]] $ThrottleLimits = @(1, 2, 4, 8),
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module $ModuleManifest

# Processor time from /proc in milliseconds: a process's own (user + system) and that of the children it has waited for
# (the mariadb client runs as a child of this process).
$clockTicks = [double](& getconf CLK_TCK)
function Get-CpuMs([int] $ProcessId, [switch] $Children) {
    $stat = Get-Content "/proc/$ProcessId/stat" -Raw
    $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
    $first = if ($Children) { 13 } else { 11 }
    ([double]$fields[$first] + [double]$fields[$first + 1]) * 1000 / $clockTicks
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

$lines = & bash (Join-Path $root 'tests/sandbox/start.sh') --name bench-fleet-sql
if ($LASTEXITCODE -ne 0) { throw "The sandbox did not start:`n$($lines -join "`n")" }
$sandboxFile = ($lines | Select-Object -Last 1).Trim()
$stateFile = Join-Path ([IO.Path]::GetTempPath()) "fleet-audit-sql-$PID.json"
$double = $null
try {
    $sandbox = Get-Content $sandboxFile -Raw | ConvertFrom-Json

    # The fleet: $Clusters Aurora MySQL 3 clusters (two instances each) whose endpoints are the sandbox's address and port.
    $state = Get-Content (Join-Path $root 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
    $state.clusters = @()
    $state.instances = @()
    $state.clusterParameterGroups += [pscustomobject]@{ name = 'fleet-sql-cpg'; family = 'aurora-mysql8.0'; description = 'fleet group' }
    foreach ($c in 1..$Clusters) {
        $id = 'sqlfleet-{0:D3}' -f $c
        $state.clusters += [pscustomobject]@{ identifier = $id; engine = 'aurora-mysql'; engineVersion = '8.0.mysql_aurora.3.05.2'; clusterParameterGroup = 'fleet-sql-cpg'; masterUsername = $sandbox.adminUser
            endpointAddress = $sandbox.host; port = $sandbox.port; resourceId = "cluster-SQLFLEET$c" }
        foreach ($i in 1, 2) {
            $state.instances += [pscustomobject]@{ identifier = "$id-$i"; clusterIdentifier = $id; isClusterWriter = ($i -eq 1); dbParameterGroup = 'default.aurora-mysql8.0'; endpointAddress = $sandbox.host; resourceId = "db-SQLFLEET$c$i" }
        }
    }
    $state | ConvertTo-Json -Depth 10 | Set-Content $stateFile -Encoding utf8

    $dll = Join-Path $root "tests/RdsDouble/bin/$Configuration/net10.0/RdsDouble.dll"
    $accessKey = 'AKIDSQLFLEETBENCH001'
    $secretKey = 'sql-fleet-bench/secret+key'
    $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $dll, '--state', $stateFile, '--access-key', $accessKey, '--secret-key', $secretKey, '--region', 'us-east-1') { $info.ArgumentList.Add([string]$a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true
    $double = [Diagnostics.Process]::Start($info)
    $line = $double.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (http://127\.0\.0\.1:\d+/)') { throw "The RDS double did not start: $line" }
    $aws = @{ EndpointUrl = $Matches[1]; Region = 'us-east-1'; AccessKey = $accessKey; SecretKey = $secretKey }

    $credential = [pscredential]::new($sandbox.adminUser, (ConvertTo-SecureString $sandbox.adminPassword -AsPlainText -Force))
    $audit = @{ SqlCredential = $credential; SslCa = $sandbox.caFile; ProgressAction = 'SilentlyContinue' }

    # The statements the audit sends for one cluster, as it sends them: two batches of several statements, each one round trip
    # (the connection factory's description of the server, AURORA_VERSION() last since a server other than Aurora ends the batch
    # there with an error; then the evidence). The client sends each batch whole too (its delimiter is //), so both do the
    # same work: a login per cluster and the same two round trips.
    $describe = "SELECT VERSION(), CONNECTION_ID(), @@SESSION.sql_mode; SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher'); SELECT AURORA_VERSION() //"
    $evidence = "SELECT User, Host, ssl_type, plugin, is_role = 'Y' FROM mysql.user ORDER BY User, Host; " +
        "SELECT u.User, u.Host, p.PRIVILEGE_TYPE, p.IS_GRANTABLE FROM information_schema.USER_PRIVILEGES p JOIN mysql.user u ON p.GRANTEE = CONCAT('''', u.User, '''@''', u.Host, '''') ORDER BY u.User, u.Host, p.PRIVILEGE_TYPE; " +
        "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('require_secure_transport', 'tls_version'); " +
        'SHOW FULL PROCESSLIST //'
    $script = Join-Path $sandbox.stateDir 'fleet-queries.sql'
    (@('DELIMITER //') + (1..$Clusters | ForEach-Object { 'connect'; $describe; $evidence })) | Set-Content $script
    $floorScript = Join-Path $sandbox.stateDir 'fleet-queries-one-session.sql'
    (@('DELIMITER //') + (1..$Clusters | ForEach-Object { $describe; $evidence })) | Set-Content $floorScript
    # The logins alone: what a verified TLS login (and one statement) costs the client, for the breakdown.
    $loginScript = Join-Path $sandbox.stateDir 'fleet-logins.sql'
    (1..$Clusters | ForEach-Object { 'connect'; 'SELECT 1;' }) | Set-Content $loginScript
    $env:MYSQL_PWD = $sandbox.adminPassword
    $clientArgs = @('--no-defaults', "--ssl-ca=$($sandbox.caFile)", '--ssl-verify-server-cert', '-h', $sandbox.host, '-P', $sandbox.port, '-u', $sandbox.adminUser, '--batch', '--force')
    $clientOut = [IO.Path]::Combine($sandbox.stateDir, 'client-out.txt')
    $client = { Get-Content $script -Raw | & mariadb @clientArgs > $clientOut 2>$null }
    $floor = { Get-Content $floorScript -Raw | & mariadb @clientArgs > $clientOut 2>$null }
    $logins = { Get-Content $loginScript -Raw | & mariadb @clientArgs > $clientOut 2>$null }

    # Warm-up: JIT, the first TLS handshake of the process; and checks that the client logged in once per cluster and
    # that the audit really read SQL evidence everywhere.
    & $client
    # Each cluster's first row is VERSION(), CONNECTION_ID(), sql_mode: one connection id per login.
    $sessions = @(Get-Content $clientOut | Where-Object { $_ -match '^\d+\.\d+\.\d+\S*\t(\d+)\t' } | ForEach-Object { $Matches[1] } | Select-Object -Unique)
    if ($sessions.Count -ne $Clusters) { throw "The client's baseline logged in $($sessions.Count) times, not once per cluster ($Clusters)." }
    $findings = @(Invoke-AuroraSecurityAudit @aws @audit -ThrottleLimit 8 -ErrorVariable auditErrors)
    $sqlFindings = @($findings | Where-Object CheckId -like 'AURSEC-SQL-*')
    if ($auditErrors.Count -gt 0) { throw "The audit reported errors: $($auditErrors[0])" }
    if ($sqlFindings.Count -ne 7 * $Clusters) { throw "Expected $(7 * $Clusters) SQL findings, got $($sqlFindings.Count)." }
    $unread = @($sqlFindings | Where-Object { $_.Status -eq 'Error' -or $_.Reason -like 'needs -*' })
    if ($unread.Count -gt 0) { throw "SQL evidence was not read for $($unread[0].ClusterIdentifier): $($unread[0].Reason)" }

    $times = @{ client = [Collections.Generic.List[double]]::new(); floor = [Collections.Generic.List[double]]::new(); logins = [Collections.Generic.List[double]]::new(); rds = [Collections.Generic.List[double]]::new() }
    foreach ($limit in $ThrottleLimits) { $times["$limit"] = [Collections.Generic.List[double]]::new() }
    # Processor time per cluster of the client and its server, and of the audit, its server and the double at each
    # ThrottleLimit: on a machine with few cores all three share them, which bounds the speed-up.
    $cpu = @{ client = 0.0; clientServer = 0.0 }
    foreach ($limit in $ThrottleLimits) { $cpu["$limit"] = @{ audit = 0.0; server = 0.0; double = 0.0 } }
    for ($r = 0; $r -lt $Runs; $r++) {
        $before = @{ client = (Get-CpuMs $PID -Children); server = (Get-CpuMs $sandbox.pid) }
        $times.client.Add((Measure-Command $client).TotalMilliseconds)
        $cpu.client += (Get-CpuMs $PID -Children) - $before.client
        $cpu.clientServer += (Get-CpuMs $sandbox.pid) - $before.server
        $times.floor.Add((Measure-Command $floor).TotalMilliseconds)
        $times.logins.Add((Measure-Command $logins).TotalMilliseconds)
        $times.rds.Add((Measure-Command { $null = Invoke-AuroraSecurityAudit @aws -ThrottleLimit $ThrottleLimits[0] -ProgressAction SilentlyContinue }).TotalMilliseconds)
        foreach ($limit in $ThrottleLimits) {
            $before = @{ audit = (Get-CpuMs $PID); server = (Get-CpuMs $sandbox.pid); double = (Get-CpuMs $double.Id) }
            $times["$limit"].Add((Measure-Command { $null = Invoke-AuroraSecurityAudit @aws @audit -ThrottleLimit $limit }).TotalMilliseconds)
            $cpu["$limit"].audit += (Get-CpuMs $PID) - $before.audit
            $cpu["$limit"].server += (Get-CpuMs $sandbox.pid) - $before.server
            $cpu["$limit"].double += (Get-CpuMs $double.Id) - $before.double
        }
    }
    Remove-Item Env:MYSQL_PWD

    $clientPerCluster = (Get-Median $times.client) / $Clusters
    '{0,-52} {1,8}' -f 'clusters (all pointing at the sandbox)', $Clusters
    '{0,-52} {1,8:N1} ms' -f 'mariadb client, a login per cluster (median)', $clientPerCluster
    '{0,-52} {1,8:N1} ms   (floor: the queries alone)' -f 'mariadb client, one login for all clusters', ((Get-Median $times.floor) / $Clusters)
    '{0,-52} {1,8:N1} ms   (a verified TLS login and SELECT 1)' -f 'mariadb client, the logins alone', ((Get-Median $times.logins) / $Clusters)
    $first = $null
    foreach ($limit in $ThrottleLimits) {
        $perCluster = (Get-Median $times["$limit"]) / $Clusters
        if ($null -eq $first) { $first = $perCluster }
        '{0,-52} {1,8:N1} ms   {2,5:N2}x the client   speed-up {3,4:N1}x' -f "audit with SQL evidence, ThrottleLimit $limit, per cluster", $perCluster, ($perCluster / $clientPerCluster), ($first / $perCluster)
    }
    '{0,-52} {1,8:N1} ms   (what the client does not do)' -f "audit without SQL evidence, ThrottleLimit $($ThrottleLimits[0]), per cluster", ((Get-Median $times.rds) / $Clusters)
    '{0,-52} {1,8:N2}x   (target <= 1.5x)' -f 'ThrottleLimit 1 / mariadb client, per cluster', ((Get-Median $times["$($ThrottleLimits[0])"]) / $Clusters / $clientPerCluster)
    $perRun = $Runs * $Clusters
    '{0,-52} {1,8:N1} ms   (client {2:N1}, server {3:N1})' -f 'processor time per cluster, mariadb client', (($cpu.client + $cpu.clientServer) / $perRun), ($cpu.client / $perRun), ($cpu.clientServer / $perRun)
    foreach ($limit in $ThrottleLimits) {
        $used = $cpu["$limit"]
        '{0,-52} {1,8:N1} ms   (audit {2:N1}, server {3:N1}, RDS double {4:N1})' -f "processor time per cluster, audit, ThrottleLimit $limit", (($used.audit + $used.server + $used.double) / $perRun), ($used.audit / $perRun), ($used.server / $perRun), ($used.double / $perRun)
    }
    $cores = [Environment]::ProcessorCount
    '{0,-52} {1,8}' -f 'processor cores on this machine', $cores
}
finally {
    if ($double) {
        $double.StandardInput.Close()
        if (-not $double.WaitForExit(5000)) { $double.Kill() }
    }
    Remove-Item $stateFile -ErrorAction SilentlyContinue
    & bash (Join-Path $root 'tests/sandbox/stop.sh') (Split-Path $sandboxFile) | Out-Null
}

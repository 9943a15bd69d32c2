# Fleet TLS audit: Get-AuroraTlsConfig over 300 clusters sharing 6 cluster parameter groups, against the RDS double
# with 25 ms latency per call and throttling above 20 requests/s, side by side with the serial loop a user writes
# today (per cluster: describe the cluster, then read its parameter group; SDK-style retries, no pacing).
# Targets: <= 1.3x the floor (the calls Get-AuroraTlsConfig must make, at the allowed rate), >= 20x faster than the
# serial loop, no failed cluster.
# Then a fault run: Get-AuroraTlsConfig and the whole Invoke-AuroraSecurityAudit over the same fleet against a double
# with the same latency that throttles 30% of requests at random, answers 5% with HTTP 500 and drops 2% of
# connections, side by side with the same commands against a fault-free double: time, requests, the ratio, and no
# cluster missing; each with the shared adaptive rate (the default) and, as the baseline, with AWS_RETRY_MODE=standard
# (no shared rate: every request backs off on its own).
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [int] $Clusters = 300,
    [int] $Groups = 6,
    [int] $LatencyMs = 25,
    [double] $RatePerSecond = 20,
    [double] $ThrottleFraction = 0.30,
    [double] $ErrorRate = 0.05,
    [double] $DropRate = 0.02,
    [string] $Configuration = 'Release',
    # Skips the rate-limit and serial-loop part (quick loops on the fault run).
    [switch] $FaultRunOnly
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module $ModuleManifest

# The fleet: the double's seed plus $Clusters Aurora MySQL 3 clusters (two instances each) over $Groups custom groups.
$state = Get-Content (Join-Path $root 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
foreach ($g in 1..$Groups) {
    $state.clusterParameterGroups += [pscustomobject]@{ name = ('fleet-cpg-{0:D2}' -f $g); family = 'aurora-mysql8.0'; description = "fleet group $g" }
}
foreach ($c in 1..$Clusters) {
    $id = 'fleet-{0:D4}' -f $c
    $state.clusters += [pscustomobject]@{ identifier = $id; engine = 'aurora-mysql'; engineVersion = '8.0.mysql_aurora.3.05.2'; clusterParameterGroup = ('fleet-cpg-{0:D2}' -f (($c - 1) % $Groups + 1)); resourceId = "cluster-FLEET$c" }
    foreach ($i in 1, 2) {
        $state.instances += [pscustomobject]@{ identifier = "$id-$i"; clusterIdentifier = $id; isClusterWriter = ($i -eq 1); dbParameterGroup = 'default.aurora-mysql8.0'; resourceId = "db-FLEET$c$i" }
    }
}
$stateFile = Join-Path ([IO.Path]::GetTempPath()) "fleet-tls-audit-$PID.json"
$state | ConvertTo-Json -Depth 10 | Set-Content $stateFile -Encoding utf8

$dll = Join-Path $root "tests/RdsDouble/bin/$Configuration/net10.0/RdsDouble.dll"
$accessKey = 'AKIDFLEETBENCH000001'
$secretKey = 'fleet-bench/secret+key'
if (-not $FaultRunOnly) {
    $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $dll, '--state', $stateFile, '--access-key', $accessKey, '--secret-key', $secretKey, '--region', 'us-east-1',
        '--latency-ms', $LatencyMs, '--throttle-rps', $RatePerSecond.ToString([cultureinfo]::InvariantCulture)) { $info.ArgumentList.Add([string]$a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true
    $double = [Diagnostics.Process]::Start($info)
    try {
        $line = $double.StandardOutput.ReadLine()
        if ($line -notmatch 'listening on (http://127\.0\.0\.1:\d+/)') { throw "The RDS double did not start: $line" }
        $endpoint = $Matches[1]
        $aws = @{ EndpointUrl = $endpoint; Region = 'us-east-1'; AccessKey = $accessKey; SecretKey = $secretKey }
        function Clear-Log { $null = Invoke-RestMethod -Method Post -Uri ($endpoint + '_double/requests/clear') }
        function Get-Log { $log = Invoke-RestMethod -Uri ($endpoint + '_double/requests'); $log }
        function Wait-BucketFull { Start-Sleep -Milliseconds ([int](1000 * 1.5)) }

        # Warm-up (JIT, connections) on one cluster, then let the double's token bucket refill.
        $null = Get-AuroraTlsConfig -ClusterIdentifier orders @aws
        Wait-BucketFull

        Clear-Log
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $configs = @(Get-AuroraTlsConfig @aws -ErrorAction SilentlyContinue -ErrorVariable auditErrors)
        $auditSeconds = $watch.Elapsed.TotalSeconds
        $log = @(Get-Log)
        $calls = @($log | Where-Object accepted).Count
        $throttled = @($log | Where-Object errorCode -eq 'Throttling').Count
        $fleet = @($configs | Where-Object ClusterIdentifier -like 'fleet-*').Count
        $floorSeconds = $calls / $RatePerSecond

        # The serial loop, through a plain client of the module's engine: the shape of Get-RDSDBCluster + Get-RDSDBClusterParameter.
        Wait-BucketFull
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AuroraSecurity' } | Select-Object -First 1
        $credentials = [Activator]::CreateInstance($engine.GetType('AuroraSecurity.Rds.AwsCredentialSet'), @($accessKey, $secretKey, $null))
        $source = [Activator]::CreateInstance($engine.GetType('AuroraSecurity.Rds.StaticCredentialSource'), @($credentials))
        $options = [Activator]::CreateInstance($engine.GetType('AuroraSecurity.Rds.RdsClientOptions'), @('us-east-1', $source))
        $options.EndpointUrl = [uri]$endpoint
        $client = [Activator]::CreateInstance($engine.GetType('AuroraSecurity.Rds.RdsQueryClient'), @($options))
        $none = [Threading.CancellationToken]::None
        $ids = @($configs.ClusterIdentifier)
        Clear-Log
        $serialFailures = 0
        $watch.Restart()
        foreach ($id in $ids) {
            try {
                $cluster = $client.DescribeDBClustersAsync($id, $null, $none).GetAwaiter().GetResult()[0]
                $null = $client.DescribeDBClusterParametersAsync($cluster.DBClusterParameterGroup, $null, $none).GetAwaiter().GetResult()
            }
            catch { $serialFailures++ }
        }
        $serialSeconds = $watch.Elapsed.TotalSeconds
        $serialLog = @(Get-Log)
        $client.Dispose()

        '{0,-46} {1}' -f 'clusters (Aurora MySQL) / of them fleet', "$($configs.Count) / $fleet"
        '{0,-46} {1}' -f 'distinct calls Get-AuroraTlsConfig made', "$calls (throttled answers: $throttled)"
        '{0,-46} {1:N3} s   ({2} calls at {3} req/s)' -f 'floor', $floorSeconds, $calls, $RatePerSecond
        '{0,-46} {1:N3} s' -f 'Get-AuroraTlsConfig', $auditSeconds
        '{0,-46} {1:N3} s   ({2} calls, {3} throttled answers, {4} failed clusters)' -f 'serial loop', $serialSeconds, @($serialLog | Where-Object accepted).Count, @($serialLog | Where-Object errorCode -eq 'Throttling').Count, $serialFailures
        '{0,-46} {1:N2}x   (target <= 1.3x)' -f 'Get-AuroraTlsConfig / floor', ($auditSeconds / $floorSeconds)
        '{0,-46} {1:N1}x   (target >= 20x)' -f 'serial loop / Get-AuroraTlsConfig', ($serialSeconds / $auditSeconds)
        '{0,-46} {1}   (target 0)' -f 'failed clusters', $auditErrors.Count
    }
    finally {
        $double.StandardInput.Close()
        if (-not $double.WaitForExit(5000)) { $double.Kill() }
    }
}

# The fault run: one double without faults, one with them, the same fleet and latency; every request of a command shares
# one adaptive rate (the limiter of its endpoint).
function Start-Double([string[]] $Extra) {
    $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--state', $stateFile, '--access-key', $accessKey, '--secret-key', $secretKey, '--region', 'us-east-1', '--latency-ms', $LatencyMs) + $Extra) { $info.ArgumentList.Add([string]$a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true
    $process = [Diagnostics.Process]::Start($info)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (http://127\.0\.0\.1:\d+/)') { throw "The RDS double did not start: $line" }
    [pscustomobject]@{ Process = $process; Endpoint = $Matches[1] }
}

function Measure-Run([string] $Endpoint, [scriptblock] $Command) {
    $aws = @{ EndpointUrl = $Endpoint; Region = 'us-east-1'; AccessKey = $accessKey; SecretKey = $secretKey }
    $null = Invoke-RestMethod -Method Post -Uri ($Endpoint + '_double/requests/clear')
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $out = @(& $Command $aws)
    $seconds = $watch.Elapsed.TotalSeconds
    # Invoke-RestMethod writes the answer's array as one object: unrolled here so each request counts.
    $log = @((Invoke-RestMethod -Uri ($Endpoint + '_double/requests')) | ForEach-Object { $_ })
    [pscustomobject]@{
        Seconds = $seconds
        Requests = $log.Count
        Accepted = @($log | Where-Object accepted).Count
        Throttled = @($log | Where-Object errorCode -eq 'Throttling').Count
        ServerErrors = @($log | Where-Object errorCode -eq 'InternalFailure').Count
        Dropped = @($log | Where-Object errorCode -eq 'ConnectionDropped').Count
        Clusters = @($out.ClusterIdentifier | Where-Object { $_ -like 'fleet-*' } | Select-Object -Unique).Count
        Errors = @($out | Where-Object { $_.PSObject.Properties['Status'] -and $_.Status -eq 'Error' }).Count
    }
}

$clean = Start-Double @()
$faulty = Start-Double @('--throttle-fraction', $ThrottleFraction.ToString([cultureinfo]::InvariantCulture), '--error-rate', $ErrorRate.ToString([cultureinfo]::InvariantCulture),
    '--drop-rate', $DropRate.ToString([cultureinfo]::InvariantCulture), '--seed', '20261129')
try {
    $commands = [ordered]@{
        'Get-AuroraTlsConfig' = { param($aws) Get-AuroraTlsConfig @aws -ErrorAction SilentlyContinue }
        'Invoke-AuroraSecurityAudit' = { param($aws) Invoke-AuroraSecurityAudit @aws -ErrorAction SilentlyContinue }
    }
    # Warm-up of both commands against both doubles (JIT, connections, the EC2 SDK).
    foreach ($d in $clean, $faulty) {
        $warm = @{ EndpointUrl = $d.Endpoint; Region = 'us-east-1'; AccessKey = $accessKey; SecretKey = $secretKey }
        $null = Get-AuroraTlsConfig -ClusterIdentifier orders @warm -ErrorAction SilentlyContinue
        $null = Invoke-AuroraSecurityAudit -ClusterIdentifier orders @warm -ErrorAction SilentlyContinue
    }
    ''
    'fault run: {0:P0} throttling + {1:P0} HTTP 500 + {2:P0} dropped connections, {3} fleet clusters, {4} ms latency' -f $ThrottleFraction, $ErrorRate, $DropRate, $Clusters, $LatencyMs
    $modes = [ordered]@{ 'shared adaptive rate' = $null; 'baseline: AWS_RETRY_MODE=standard' = 'standard' }
    foreach ($name in $commands.Keys) {
        $hits = @{}
        foreach ($mode in $modes.Keys) {
            $env:AWS_RETRY_MODE = $modes[$mode]
            try {
                $base = Measure-Run $clean.Endpoint $commands[$name]
                $hit = Measure-Run $faulty.Endpoint $commands[$name]
            }
            finally { $env:AWS_RETRY_MODE = $null }
            $hits[$mode] = $hit
            "$name, $mode"
            '  {0,-30} {1,7:N3} s, {2} requests, {3} clusters' -f 'without faults', $base.Seconds, $base.Requests, $base.Clusters
            '  {0,-30} {1,7:N3} s, {2} requests ({3} throttled, {4} HTTP 500, {5} dropped), {6} clusters, {7} error findings' -f 'with faults', $hit.Seconds, $hit.Requests, $hit.Throttled, $hit.ServerErrors, $hit.Dropped, $hit.Clusters, $hit.Errors
            '  {0,-30} {1,7:N2}x   ({2:N1} requests/s; fleet clusters missing: {3})' -f 'faults / no faults', ($hit.Seconds / $base.Seconds), ($hit.Requests / $hit.Seconds), ($Clusters - $hit.Clusters)
        }
        '  {0,-30} {1,7:N2}x' -f 'adaptive / baseline with faults', ($hits['shared adaptive rate'].Seconds / $hits['baseline: AWS_RETRY_MODE=standard'].Seconds)
    }
}
finally {
    foreach ($d in $clean, $faulty) {
        $d.Process.StandardInput.Close()
        if (-not $d.Process.WaitForExit(5000)) { $d.Process.Kill() }
    }
    Remove-Item $stateFile -ErrorAction SilentlyContinue
}

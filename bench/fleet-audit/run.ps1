# Fleet security audit: Invoke-AuroraSecurityAudit (every check) over 1,000 Aurora MySQL clusters with three instances
# each, against the RDS double with 25 ms latency per call and throttling above 20 requests/s, side by side with the
# floor (the distinct reads the audit made, at the allowed rate) and a serial per-cluster loop over the same reads
# (per cluster: the cluster, its instances, its parameter group, its snapshots and their attributes, the proxies and
# their targets, its security groups; SDK-style retries, no pacing). The serial loop is measured on a sample of
# clusters and scaled to the fleet, so the run stays short.
# Targets: <= 1.3x the floor, >= 50x faster than the serial loop, no cluster missing.
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [int] $Clusters = 1000,
    [int] $InstancesPerCluster = 3,
    [int] $Groups = 8,
    [int] $SecurityGroups = 20,
    [int] $Snapshots = 100,
    [int] $Proxies = 10,
    [int] $SerialSample = 40,
    [int] $LatencyMs = 25,
    [double] $RatePerSecond = 20,
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module $ModuleManifest

# The fleet: the double's seed plus $Clusters Aurora MySQL 3 clusters over $Groups parameter groups and $SecurityGroups
# security groups, some manual snapshots and proxies.
$state = Get-Content (Join-Path $root 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
foreach ($g in 1..$Groups) {
    $state.clusterParameterGroups += [pscustomobject]@{ name = ('audit-cpg-{0:D2}' -f $g); family = 'aurora-mysql8.0'; description = "audit fleet group $g" }
}
foreach ($s in 1..$SecurityGroups) {
    $state.securityGroups += [pscustomobject]@{ id = ('sg-0f{0:D15}' -f $s); name = "fleet-$s"; description = 'fleet'; ingress = @([pscustomobject]@{ protocol = 'tcp'; fromPort = 3306; toPort = 3306; cidrs = @('10.0.0.0/8') }) }
}
foreach ($c in 1..$Clusters) {
    $id = 'fleet-{0:D4}' -f $c
    $state.clusters += [pscustomobject]@{
        identifier = $id; engine = 'aurora-mysql'; engineVersion = '8.0.mysql_aurora.3.10.1'; resourceId = "cluster-FLEET$c"
        clusterParameterGroup = ('audit-cpg-{0:D2}' -f (($c - 1) % $Groups + 1)); vpcSecurityGroupIds = @(('sg-0f{0:D15}' -f (($c - 1) % $SecurityGroups + 1)))
        backupRetentionPeriod = 7; deletionProtection = ($c % 2 -eq 0)
    }
    foreach ($i in 1..$InstancesPerCluster) {
        $state.instances += [pscustomobject]@{ identifier = "$id-$i"; clusterIdentifier = $id; isClusterWriter = ($i -eq 1); dbParameterGroup = 'default.aurora-mysql8.0'; resourceId = "db-FLEET$c$i" }
    }
}
foreach ($s in 1..$Snapshots) {
    $state.clusterSnapshots += [pscustomobject]@{ identifier = "fleet-snap-$s"; clusterIdentifier = ('fleet-{0:D4}' -f ($s * [math]::Max(1, [int]($Clusters / $Snapshots)))); storageEncrypted = $true; restoreAccounts = @() }
}
foreach ($p in 1..$Proxies) {
    $state.proxies += [pscustomobject]@{ name = "fleet-proxy-$p"; engineFamily = 'MYSQL'; requireTls = $true; targetClusters = @(('fleet-{0:D4}' -f $p)) }
}
$stateFile = Join-Path ([IO.Path]::GetTempPath()) "fleet-audit-$PID.json"
$state | ConvertTo-Json -Depth 10 | Set-Content $stateFile -Encoding utf8

$dll = Join-Path $root "tests/RdsDouble/bin/$Configuration/net10.0/RdsDouble.dll"
$accessKey = 'AKIDFLEETAUDITBENCH1'
$secretKey = 'fleet-audit-bench/secret+key'
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
    # Assigned first, so the answer's array is written item by item (Invoke-RestMethod writes it as one object).
    function Get-Log { $log = Invoke-RestMethod -Uri ($endpoint + '_double/requests'); $log }
    function Wait-BucketFull { Start-Sleep -Milliseconds 1500 }

    # Warm-up (JIT, connections, the EC2 SDK) on one cluster, then let the double's token bucket refill.
    $null = Invoke-AuroraSecurityAudit -ClusterIdentifier orders @aws
    Wait-BucketFull

    Clear-Log
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $findings = @(Invoke-AuroraSecurityAudit @aws -ErrorAction SilentlyContinue -ErrorVariable auditErrors)
    $auditSeconds = $watch.Elapsed.TotalSeconds
    $log = @(Get-Log)
    $reads = @($log | Where-Object accepted).Count
    $throttled = @($log | Where-Object { $_.errorCode -in 'Throttling', 'RequestLimitExceeded' }).Count
    $audited = @($findings.ClusterIdentifier | Where-Object { $_ -like 'fleet-*' } | Select-Object -Unique).Count
    $errorFindings = @($findings | Where-Object Status -eq Error).Count
    $floorSeconds = $reads / $RatePerSecond
    $byAction = $log | Where-Object accepted | Group-Object action | Sort-Object Count -Descending | ForEach-Object { "$($_.Name) $($_.Count)" }

    # The serial loop through a plain client of the module's engine, on a sample of clusters.
    Wait-BucketFull
    $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AuroraSecurity' } | Select-Object -First 1
    $credentials = [Activator]::CreateInstance($engine.GetType('AuroraSecurity.Rds.AwsCredentialSet'), @($accessKey, $secretKey, $null))
    $source = [Activator]::CreateInstance($engine.GetType('AuroraSecurity.Rds.StaticCredentialSource'), @($credentials))
    $options = [Activator]::CreateInstance($engine.GetType('AuroraSecurity.Rds.RdsClientOptions'), @('us-east-1', $source))
    $options.EndpointUrl = [uri]$endpoint
    $client = [Activator]::CreateInstance($engine.GetType('AuroraSecurity.Rds.RdsQueryClient'), @($options))
    $ec2 = [Activator]::CreateInstance($engine.GetType('AuroraSecurity.Ec2.Ec2SecurityGroupClient'), @($options, [uri]$endpoint, $null))
    $filterType = $engine.GetType('AuroraSecurity.Rds.RdsFilter')
    $none = [Threading.CancellationToken]::None
    $sample = @(1..$SerialSample | ForEach-Object { 'fleet-{0:D4}' -f [int](($_ - 1) * $Clusters / $SerialSample + 1) })
    Clear-Log
    $serialFailures = 0
    $watch.Restart()
    foreach ($id in $sample) {
        try {
            $cluster = $client.DescribeDBClustersAsync($id, $null, $none).GetAwaiter().GetResult()[0]
            $filter = [Activator]::CreateInstance($filterType, @('db-cluster-id', [string[]]@($id)))
            $filters = [Array]::CreateInstance($filterType, 1); $filters[0] = $filter
            $null = $client.DescribeDBInstancesAsync($null, $filters, $none).GetAwaiter().GetResult()
            $null = $client.DescribeDBClusterParametersAsync($cluster.DBClusterParameterGroup, $null, $none).GetAwaiter().GetResult()
            foreach ($snapshot in $client.DescribeDBClusterSnapshotsAsync($id, 'manual', $none).GetAwaiter().GetResult()) {
                $null = $client.DescribeDBClusterSnapshotAttributesAsync($snapshot.DBClusterSnapshotIdentifier, $none).GetAwaiter().GetResult()
            }
            foreach ($proxy in $client.DescribeDBProxiesAsync($null, $none).GetAwaiter().GetResult()) {
                $null = $client.DescribeDBProxyTargetsAsync($proxy.DBProxyName, $none).GetAwaiter().GetResult()
            }
            $groupIds = [Collections.Generic.List[string]]::new()
            foreach ($g in $cluster.VpcSecurityGroups) { $groupIds.Add($g.VpcSecurityGroupId) }
            $null = $ec2.DescribeSecurityGroupsAsync($groupIds, $none).GetAwaiter().GetResult()
        }
        catch { $serialFailures++ }
    }
    $sampleSeconds = $watch.Elapsed.TotalSeconds
    $serialLog = @(Get-Log)
    $serialSeconds = $sampleSeconds * $Clusters / $SerialSample
    $client.Dispose()
    $ec2.Dispose()

    '{0,-50} {1}' -f 'fleet clusters / instances', "$Clusters / $($Clusters * $InstancesPerCluster)"
    '{0,-50} {1} of {2} (error findings: {3}, failed clusters: {4})' -f 'fleet clusters audited', $audited, $Clusters, $errorFindings, $auditErrors.Count
    '{0,-50} {1} (throttled answers: {2})' -f 'distinct reads the audit made', $reads, $throttled
    '{0,-50} {1}' -f '  by operation', ($byAction -join ', ')
    '{0,-50} {1:N3} s   ({2} reads at {3} req/s)' -f 'floor', $floorSeconds, $reads, $RatePerSecond
    '{0,-50} {1:N3} s   ({2:N1} reads/s)' -f 'Invoke-AuroraSecurityAudit', $auditSeconds, ($reads / $auditSeconds)
    '{0,-50} {1:N3} s   ({2} clusters: {3:N3} s, {4} reads, {5} throttled, {6} failed; scaled to {7})' -f 'serial per-cluster loop', $serialSeconds, $SerialSample, $sampleSeconds, @($serialLog | Where-Object accepted).Count, @($serialLog | Where-Object { $_.errorCode -in 'Throttling', 'RequestLimitExceeded' }).Count, $serialFailures, $Clusters
    '{0,-50} {1:N2}x   (target <= 1.3x)' -f 'Invoke-AuroraSecurityAudit / floor', ($auditSeconds / $floorSeconds)
    '{0,-50} {1:N1}x   (target >= 50x)' -f 'serial loop / Invoke-AuroraSecurityAudit', ($serialSeconds / $auditSeconds)
    '{0,-50} {1}   (target 0)' -f 'fleet clusters missing', ($Clusters - $audited)
}
finally {
    $double.StandardInput.Close()
    if (-not $double.WaitForExit(5000)) { $double.Kill() }
    Remove-Item $stateFile -ErrorAction SilentlyContinue
}

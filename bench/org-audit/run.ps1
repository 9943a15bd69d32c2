# Organisation-scale audit: Invoke-AuroraSecurityAudit over $Accounts accounts (one -RoleArn each) x $Regions regions x
# $Clusters clusters (plus the seed's Aurora MySQL clusters) against the RDS double and its STS, with $LatencyMs per call,
# side by side with the same audit run one account and region at a time (what a script looping over accounts does).
# Prints: total time, the floor (the calls the audit must make x latency / requests in flight: the least any run can take at
# this throttle), missing clusters, and both runs' ratios to the floor side by side.
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [int] $Accounts = 20,
    [string[]] $Regions = @('us-east-1', 'eu-west-1', 'ap-southeast-2'),
    [int] $Clusters = 50,
    [int] $LatencyMs = 25,
    [int] $ThrottleLimit = 16,
    [switch] $SkipBaseline,
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module $ModuleManifest

$dll = Join-Path $root "tests/RdsDouble/bin/$Configuration/net10.0/RdsDouble.dll"
$accessKey = 'AKIDORGBENCH00000001'
$secretKey = 'org-bench/secret+key'
$info = [Diagnostics.ProcessStartInfo]::new('dotnet')
$extra = ($Regions | Select-Object -Skip 1) -join ','
foreach ($a in $dll, '--access-key', $accessKey, '--secret-key', $secretKey, '--region', $Regions[0], '--regions', $extra,
    '--tenant-clusters', $Clusters, '--latency-ms', $LatencyMs) { $info.ArgumentList.Add([string]$a) }
$info.RedirectStandardOutput = $true
$info.RedirectStandardInput = $true
$double = [Diagnostics.Process]::Start($info)
$saved = @{ STS = $env:AWS_ENDPOINT_URL_STS; RDS = $env:AWS_ENDPOINT_URL_RDS; EC2 = $env:AWS_ENDPOINT_URL_EC2 }
try {
    $line = $double.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (http://127\.0\.0\.1:\d+/)') { throw "The RDS double did not start: $line" }
    $endpoint = $Matches[1]
    $env:AWS_ENDPOINT_URL_STS = $endpoint
    $env:AWS_ENDPOINT_URL_RDS = $endpoint
    $env:AWS_ENDPOINT_URL_EC2 = $endpoint
    $keys = @{ AccessKey = $accessKey; SecretKey = $secretKey }
    $roles = 1..$Accounts | ForEach-Object { 'arn:aws:iam::{0:D12}:role/AuroraAuditor' -f (100000000000 + $_) }
    function Clear-Log { $null = Invoke-RestMethod -Method Post -Uri ($endpoint + '_double/requests/clear') }
    function Get-Log { $log = Invoke-RestMethod -Uri ($endpoint + '_double/requests'); $log }

    # Warm-up, so neither run pays for what the other found ready: JIT, connections, and the double's state of every account and
    # region (made on first use, which would otherwise fall on whichever run comes first).
    $null = Invoke-AuroraSecurityAudit -RoleArn $roles[0] -Region $Regions[0] @keys -ClusterIdentifier orders
    $null = Get-AuroraCluster -RoleArn $roles -Region $Regions -ThrottleLimit $ThrottleLimit @keys

    Clear-Log
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $findings = @(Invoke-AuroraSecurityAudit -RoleArn $roles -Region $Regions -ThrottleLimit $ThrottleLimit @keys -ErrorAction SilentlyContinue -ErrorVariable auditErrors)
    $seconds = $watch.Elapsed.TotalSeconds
    $log = @(Get-Log)
    $rdsCalls = @($log | Where-Object { $_.accepted -and $_.service -eq 'rds' }).Count
    $ec2Calls = @($log | Where-Object { $_.accepted -and $_.service -eq 'ec2' }).Count
    $stsCalls = @($log | Where-Object { $_.accepted -and $_.service -eq 'sts' }).Count
    $maxInFlight = ($log | Measure-Object -Property inFlight -Maximum).Maximum
    $found = @($findings | ForEach-Object { "$($_.AccountId)/$($_.Region)/$($_.ClusterIdentifier)" } | Sort-Object -Unique).Count
    # Each account and region holds the seed's five Aurora MySQL clusters plus the ones added.
    $expected = $Accounts * $Regions.Count * ($Clusters + 5)
    $floor = ($rdsCalls + $ec2Calls + $stsCalls) * $LatencyMs / 1000.0 / $ThrottleLimit

    '{0,-48} {1}' -f 'accounts x regions x clusters', "$Accounts x $($Regions.Count) x $($Clusters + 5) = $expected"
    '{0,-48} {1}' -f 'clusters audited / missing', "$found / $($expected - $found)   (target 0 missing)"
    '{0,-48} {1}' -f 'error records', $auditErrors.Count
    '{0,-48} {1}' -f 'calls (RDS / EC2 / STS AssumeRole)', "$rdsCalls / $ec2Calls / $stsCalls"
    '{0,-48} {1}' -f 'most requests in flight at once', "$maxInFlight   (-ThrottleLimit $ThrottleLimit)"
    '{0,-48} {1:N3} s   (calls x {2} ms / {3} in flight)' -f 'floor', $floor, $LatencyMs, $ThrottleLimit

    $rows = @([pscustomobject]@{ Run = 'every pair at once (one run)'; Seconds = $seconds; Findings = $findings.Count })
    if (-not $SkipBaseline) {
        # The baseline: one audit per account and region, one after another, each with the same throttle.
        $watch.Restart()
        $serialCount = 0
        foreach ($role in $roles) {
            foreach ($region in $Regions) {
                $serialCount += @(Invoke-AuroraSecurityAudit -RoleArn $role -Region $region -ThrottleLimit $ThrottleLimit @keys -ErrorAction SilentlyContinue).Count
            }
        }
        $rows += [pscustomobject]@{ Run = 'one account and region at a time'; Seconds = $watch.Elapsed.TotalSeconds; Findings = $serialCount }
    }

    ''
    '{0,-36} {1,10} {2,10} {3,10}' -f 'run', 'seconds', '/ floor', 'findings'
    foreach ($row in $rows) { '{0,-36} {1,10:N3} {2,9:N2}x {3,10}' -f $row.Run, $row.Seconds, ($row.Seconds / $floor), $row.Findings }
    if ($rows.Count -gt 1) { '{0,-48} {1:N2}x' -f 'one at a time / every pair at once', ($rows[1].Seconds / $rows[0].Seconds) }
}
finally {
    $env:AWS_ENDPOINT_URL_STS = $saved.STS
    $env:AWS_ENDPOINT_URL_RDS = $saved.RDS
    $env:AWS_ENDPOINT_URL_EC2 = $saved.EC2
    $double.StandardInput.Close()
    if (-not $double.WaitForExit(5000)) { $double.Kill() }
}

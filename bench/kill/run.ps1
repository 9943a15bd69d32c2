# Ending 1,000 idle sessions of one user: Get-AuroraSession -User u | Invoke-RdsKill -Force against
# pt-kill --rds --match-user '^u$' --victims all --kill, both over verified TLS (the sandbox runs with
# require_secure_transport=ON, so a plaintext connection would be refused). Not a test: it prints figures.
#
# What is timed, for both tools alike: from the start of the tool to the moment an observer connection no longer sees
# any session of 'u' in the process list (polled every -PollMilliseconds). pt-kill then keeps running until its own
# --run-time/--interval loop ends (1 s here), so its process exit time is printed too but not compared.
# Our pipeline runs in a PowerShell runspace that has imported the module, like a DBA's shell; it opens its own TLS
# connection (-Endpoint/-SqlCredential) each round, as pt-kill does. Rounds alternate the two tools; medians compared.
# Target: ours at most 1.5x pt-kill.
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [int] $Sessions = 1000,
    [int] $Rounds = 5,
    [int] $PollMilliseconds = 25,
    # A running sandbox (sandbox.json) to use instead of starting one; it needs max_connections above -Sessions.
    [string] $SandboxFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$opener = Join-Path $PSScriptRoot 'open-sessions.pl'
$ModuleManifest = (Resolve-Path $ModuleManifest).Path

foreach ($tool in 'pt-kill', 'perl', 'mariadb') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "$tool is needed (Debian: percona-toolkit, mariadb-client)." }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

function Invoke-RootSql([string] $Sql) {
    $out = & mariadb --no-defaults --protocol=socket "--socket=$($sandbox.socket)" "-u$($sandbox.rootSocketUser)" --batch --skip-column-names -e $Sql 2>&1
    if ($LASTEXITCODE -ne 0) { throw "root SQL failed: $out" }
    $out
}

function New-Password { -join ((48..57) + (65..90) + (97..122) | Get-Random -Count 24 | ForEach-Object { [char]$_ }) }

# Opens the victims from one perl process; returns the process once all are connected.
function Open-Victims {
    $psi = [Diagnostics.ProcessStartInfo]::new('perl')
    foreach ($a in $opener, $sandbox.socket, 'u', "$Sessions") { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.Environment['BENCH_SESSION_PASSWORD'] = $victimPassword
    $process = [Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLine()
    if ($line -ne "ready $Sessions") {
        $err = $process.StandardError.ReadToEnd()
        throw "The session opener did not get $Sessions sessions: $line $err"
    }
    $count = Get-VictimCount
    if ($count -ne $Sessions) { throw "Expected $Sessions sessions of 'u' in the process list, found $count." }
    $process
}

function Close-Victims($Process) {
    $Process.StandardInput.Close()
    if (-not $Process.WaitForExit(15000)) { $Process.Kill() ; $Process.WaitForExit() }
    $Process.Dispose()
}

function Get-VictimCount { @(Get-AuroraSession -Session $observer -User u).Count }

# Polls until no session of 'u' is left; returns the stopwatch reading at that moment.
function Wait-VictimsGone([Diagnostics.Stopwatch] $Watch, [int] $TimeoutSeconds = 120) {
    while ((Get-VictimCount) -gt 0) {
        if ($Watch.Elapsed.TotalSeconds -gt $TimeoutSeconds) { throw "Sessions of 'u' were still there after $TimeoutSeconds s." }
        Start-Sleep -Milliseconds $PollMilliseconds
    }
    $Watch.Elapsed.TotalMilliseconds
}

$ownSandbox = -not $SandboxFile
$defaultsFolder = $null
$runspace = $null
try {
    if ($ownSandbox) {
        $lines = & bash (Join-Path $root 'tests/sandbox/start.sh') --name killbench --require-secure-transport ON --max-connections ($Sessions + 200)
        if ($LASTEXITCODE -ne 0) { throw "The sandbox did not start:`n$($lines -join "`n")" }
        $SandboxFile = ($lines | Select-Object -Last 1).Trim()
    }
    $sandbox = Get-Content $SandboxFile -Raw | ConvertFrom-Json
    Import-Module $ModuleManifest
    $admin = [pscredential]::new($sandbox.adminUser, (ConvertTo-SecureString $sandbox.adminPassword -AsPlainText -Force))
    $observer = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $admin -SslCa $sandbox.caFile

    $victimPassword = New-Password
    $null = Invoke-RootSql "DROP USER IF EXISTS 'u'@'localhost'; CREATE USER 'u'@'localhost' IDENTIFIED BY '$victimPassword';"

    # pt-kill reads the password and the TLS settings from a defaults file (DSN key F), never from its command line.
    $defaultsFolder = Join-Path ([IO.Path]::GetTempPath()) "aurora-killbench-$PID"
    $null = New-Item -ItemType Directory -Path $defaultsFolder
    if (-not $IsWindows) { & chmod 700 $defaultsFolder }
    $defaults = Join-Path $defaultsFolder 'pt-kill.cnf'
    Set-Content -Path $defaults -Encoding ascii -Value @(
        '[client]', "user=$($sandbox.adminUser)", "password=$($sandbox.adminPassword)", "ssl-ca=$($sandbox.caFile)", 'ssl-verify-server-cert')
    if (-not $IsWindows) { & chmod 600 $defaults }
    $ptKillArgs = @('--rds', '--match-user', '^u$', '--victims', 'all', '--kill', '--print', '--interval', '1', '--run-time', '1',
        "h=$($sandbox.host),P=$($sandbox.port),F=$defaults")

    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ours = [powershell]::Create()
    $ours.Runspace = $runspace
    $null = $ours.AddScript({ param($m) Import-Module $m }).AddArgument($ModuleManifest).Invoke()
    $pipeline = {
        param($Endpoint, $Port, $Credential, $Ca, $User)
        Get-AuroraSession -Endpoint $Endpoint -Port $Port -SqlCredential $Credential -SslCa $Ca -User $User | Invoke-RdsKill -Force
    }
    # One warm-up that selects nothing, so the runspace has loaded and compiled the cmdlets as a DBA's shell has.
    $ours.Commands.Clear()
    $null = $ours.AddScript($pipeline).AddArgument($sandbox.host).AddArgument($sandbox.port).AddArgument($admin).AddArgument($sandbox.caFile).AddArgument('^nobody$').Invoke()

    $oursGone = [Collections.Generic.List[double]]::new()
    $ptGone = [Collections.Generic.List[double]]::new()
    $ptExit = [Collections.Generic.List[double]]::new()
    for ($round = 1; $round -le $Rounds; $round++) {
        # Invoke-RdsKill
        $victims = Open-Victims
        try {
            $ours.Commands.Clear()
            $null = $ours.AddScript($pipeline).AddArgument($sandbox.host).AddArgument($sandbox.port).AddArgument($admin).AddArgument($sandbox.caFile).AddArgument('^u$')
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $async = $ours.BeginInvoke()
            $gone = Wait-VictimsGone $watch
            $results = @($ours.EndInvoke($async))
            if ($ours.HadErrors) { throw "Invoke-RdsKill reported errors: $($ours.Streams.Error | Select-Object -First 3)" }
            $killed = @($results | Where-Object { "$($_.Result)" -eq 'Killed' }).Count
            if ($killed -ne $Sessions) { throw "Invoke-RdsKill killed $killed of $Sessions sessions." }
            $oursGone.Add($gone)
            '{0,-14} round {1}: {2,7:N0} ms until all {3} sessions were gone ({4} Killed)' -f 'Invoke-RdsKill', $round, $gone, $Sessions, $killed
        }
        finally { Close-Victims $victims }

        # pt-kill
        $victims = Open-Victims
        try {
            $psi = [Diagnostics.ProcessStartInfo]::new('pt-kill')
            foreach ($a in $ptKillArgs) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $psi.UseShellExecute = $false
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $process = [Diagnostics.Process]::Start($psi)
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            $gone = Wait-VictimsGone $watch
            $process.WaitForExit()
            $exited = $watch.Elapsed.TotalMilliseconds
            if ($process.ExitCode -ne 0) { throw "pt-kill failed ($($process.ExitCode)): $($stderr.Result)" }
            $killed = @($stdout.Result -split "`n" | Where-Object { $_ -match ' KILL \d+ ' }).Count
            if ($killed -ne $Sessions) { throw "pt-kill killed $killed of $Sessions sessions: $($stderr.Result)" }
            $ptGone.Add($gone)
            $ptExit.Add($exited)
            '{0,-14} round {1}: {2,7:N0} ms until all {3} sessions were gone ({4} KILL lines; process exited at {5:N0} ms)' -f 'pt-kill', $round, $gone, $Sessions, $killed, $exited
        }
        finally { Close-Victims $victims }
    }

    $oursMedian = Get-Median $oursGone
    $ptMedian = Get-Median $ptGone
    ''
    "Ending $Sessions idle sessions of one user over verified TLS, median of $Rounds alternating rounds (poll every $PollMilliseconds ms):"
    '{0,-62} {1,8:N0} ms' -f "Get-AuroraSession -User u | Invoke-RdsKill -Force", $oursMedian
    '{0,-62} {1,8:N0} ms' -f "pt-kill --rds --match-user '^u$' --victims all --kill", $ptMedian
    '{0,-62} {1,8:N0} ms   (its --interval 1 / --run-time 1 loop; not compared)' -f 'pt-kill process exit', (Get-Median $ptExit)
    '{0,-62} {1,8:N2}x  (target <= 1.5x)' -f 'ratio Invoke-RdsKill / pt-kill', ($oursMedian / $ptMedian)
}
finally {
    if ($runspace) { $runspace.Dispose() }
    if ($defaultsFolder -and (Test-Path $defaultsFolder)) { Remove-Item $defaultsFolder -Recurse -Force }
    if (Get-Variable observer -ErrorAction SilentlyContinue) { $observer | Disconnect-AuroraMySql }
    if ($ownSandbox -and $SandboxFile) { & bash (Join-Path $root 'tests/sandbox/stop.sh') (Split-Path $SandboxFile) | Out-Host }
}

# Shared by every Pester file: where the built module and the running sandbox are.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
# The manifest picks its root module by $PSEdition, which Import-PowerShellDataFile refuses: Read-ManifestData reads it.
Import-Module (Join-Path $script:RepoRoot 'build/ManifestData.psm1')
$script:ModuleManifest = if ($env:AURORA_MODULE_MANIFEST) {
    $env:AURORA_MODULE_MANIFEST
}
else {
    $version = (Read-ManifestData (Join-Path $script:RepoRoot 'AuroraSecurity.psd1')).ModuleVersion
    Join-Path $script:RepoRoot "out/AuroraSecurity/$version/AuroraSecurity.psd1"
}

# What a Describe needs is its tag: None, MariaDB, RdsDouble, AwsCli (the aws CLI or botocore), Browser (headless Chromium) or Package.
# ./build.ps1 -Task UnitTest runs only what needs nothing and sets AURORA_UNIT_TESTS_ONLY; there the helpers that
# would reach a server refuse, so a Describe without its tag fails with the tag to add instead of starting one.
function Assert-TestNeed([string] $Need) {
    if ($env:AURORA_UNIT_TESTS_ONLY -eq '1') {
        throw "This test needs $Need, which the UnitTest task does not provide: tag its Describe with -Tag '$Need'."
    }
}

function Get-TestSandbox {
    Assert-TestNeed 'MariaDB'
    # The test task starts one sandbox for xunit and Pester and says where with AURORA_SANDBOX.
    if (-not $env:AURORA_SANDBOX -or -not (Test-Path $env:AURORA_SANDBOX)) {
        throw 'No sandbox: run the tests through ./build.ps1 -Task Test, which starts one and sets AURORA_SANDBOX.'
    }
    Get-Content $env:AURORA_SANDBOX -Raw | ConvertFrom-Json
}

function New-SandboxCredential($Sandbox) {
    [pscredential]::new($Sandbox.adminUser, (ConvertTo-SecureString $Sandbox.adminPassword -AsPlainText -Force))
}

# An account that logs in with an IAM database authentication token, as Aurora's AWSAuthenticationPlugin accounts do:
# MariaDB's PAM plugin asks for the token with mysql_clear_password, and the sandbox's own PAM service checks its
# SigV4 signature (tests/sandbox/verify-iam-token.py) against the keys given here. Grants: one GRANT each.
function New-SandboxIamUser {
    param($Sandbox, [string] $User, [string] $AccessKey, [string] $SecretKey, [string[]] $Grant = @('PROCESS ON *.*'))
    if (-not $Sandbox.iamPamService) { throw "This sandbox cannot check IAM tokens: $($Sandbox.iamUnavailable)." }
    $keys = @{}
    (Get-Content $Sandbox.iamKeysFile -Raw | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $keys[$_.Name] = $_.Value }
    $keys[$AccessKey] = $SecretKey
    $keys | ConvertTo-Json | Set-Content $Sandbox.iamKeysFile
    $sql = "DROP USER IF EXISTS '$User'@'%'; CREATE USER '$User'@'%' IDENTIFIED VIA pam USING '$($Sandbox.iamPamService)' REQUIRE SSL;" +
        (($Grant | ForEach-Object { " GRANT $_ TO '$User'@'%';" }) -join '')
    $out = & mariadb --no-defaults --protocol=socket "--socket=$($Sandbox.socket)" "-u$($Sandbox.rootSocketUser)" --batch -e $sql 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Creating the IAM account failed: $out" }
}

# The sandbox's IAM verifier's decisions so far: '<time> <user> accepted' or '<time> <user> refused: <reason>'.
function Get-SandboxIamDecision($Sandbox) { @(Get-Content $Sandbox.iamVerifierLog) }

# The RDS API double as a process, with keys of the test's choosing. Returns an object with Endpoint, AccessKey,
# SecretKey and Process; give it to Stop-RdsDouble. Built by the solution build (Release through build.ps1).
function Start-RdsDouble {
    param(
        [string] $AccessKey = 'AKIDPESTERDOUBLE0001',
        [string] $SecretKey = 'pester-double/secret+key',
        [string] $StateFile,
        [int] $LatencyMs = 0,
        [double] $ThrottleRps = 0,
        # full: every field, changes at once; minimal: a terse RDS (optional fields left out, changes held or delayed).
        [ValidateSet('full', 'minimal')] [string] $Mode = 'full',
        [int] $ParameterDelayMs = -1,
        [string] $Region = 'us-east-1',
        # More switches of the double: --regions, --deny-role, --external-id, --credential-lifetime-seconds, --tenant-clusters, …
        [string[]] $ExtraArguments = @()
    )
    Assert-TestNeed 'RdsDouble'
    $dll = foreach ($configuration in 'Release', 'Debug') {
        $candidate = Join-Path $script:RepoRoot "tests/RdsDouble/bin/$configuration/net10.0/RdsDouble.dll"
        if (Test-Path $candidate) { $candidate; break }
    }
    if (-not $dll) { throw 'RdsDouble.dll is not built: run ./build.ps1 first.' }
    if (-not $StateFile) { $StateFile = Join-Path $script:RepoRoot 'tests/RdsDouble/seed/default-state.json' }
    $arguments = @($dll, '--state', $StateFile, '--access-key', $AccessKey, '--secret-key', $SecretKey, '--region', $Region)
    if ($LatencyMs -gt 0) { $arguments += @('--latency-ms', $LatencyMs) }
    if ($ThrottleRps -gt 0) { $arguments += @('--throttle-rps', $ThrottleRps.ToString([cultureinfo]::InvariantCulture)) }
    $arguments += @('--mode', $Mode)
    if ($ParameterDelayMs -ge 0) { $arguments += @('--parameter-delay-ms', $ParameterDelayMs) }
    $arguments += $ExtraArguments

    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $arguments) { $info.ArgumentList.Add([string]$a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait(30000) -or $line.Result -notmatch 'listening on (http://127\.0\.0\.1:\d+/)') {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The RDS double did not start: $($line.Result)"
    }
    [pscustomobject]@{ Endpoint = $Matches[1]; AccessKey = $AccessKey; SecretKey = $SecretKey; Process = $process; Mode = $Mode; Region = $Region }
}

function Stop-RdsDouble($Double) {
    if (-not $Double) { return }
    # Closing stdin is the double's signal to stop; kill only if it lingers.
    $Double.Process.StandardInput.Close()
    if (-not $Double.Process.WaitForExit(5000)) { $Double.Process.Kill() }
    $Double.Process.Dispose()
}

# The parameters that point a cmdlet at the double.
function Get-RdsDoubleParameters($Double) {
    @{ EndpointUrl = $Double.Endpoint; Region = $Double.Region; AccessKey = $Double.AccessKey; SecretKey = $Double.SecretKey }
}

function Get-RdsDoubleRequests($Double) {
    # Invoke-RestMethod passes a JSON array on as one object; the caller wants one request per item.
    $requests = Invoke-RestMethod -Uri ($Double.Endpoint + '_double/requests')
    $requests
}

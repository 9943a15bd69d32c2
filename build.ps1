#requires -Version 7.0
<#
.SYNOPSIS
Builds, tests, packages and demonstrates the AuroraSecurity module.

.DESCRIPTION
Build    produces the module folder out/AuroraSecurity/<version>/ (manifest, both builds, formats, help).
Test     builds, starts the local sandbox (MariaDB with TLS), runs xunit then Pester, stops the sandbox,
         and ends with one line "N passed, N failed". Exits non-zero when anything failed.
UnitTest builds and runs only the tests that need nothing (xunit trait Needs=None, Pester tag None): no sandbox,
         no RDS double, no aws CLI or botocore, no package. Ends with the same line as Test.
Package  builds a .nupkg in out/packages that Install-PSResource can install from a folder repository.
Demo     builds, starts the sandbox and the RDS API double, and shows the module at work.
Bench    runs every benchmark under bench/ and prints their ratios.
LambdaLayer builds and writes out/lambda/AuroraSecurity-<version>-layer.zip, the module as an AWS Lambda layer for the
         PowerShell runtime (modules/AuroraSecurity/<version>/, found in /opt/modules); see examples/lambda/.

.EXAMPLE
dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'UnitTest', 'Package', 'Demo', 'Bench', 'LambdaLayer')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Runs only the test classes / Pester files whose names match (for quick local loops).
    [string] $Filter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
Import-Module (Join-Path $Root 'build/ManifestData.psm1')
$ModuleVersion = (Read-ManifestData (Join-Path $Root 'AuroraSecurity.psd1')).ModuleVersion
$OutRoot = Join-Path $Root 'out'
$ModuleFolder = Join-Path $OutRoot "AuroraSecurity/$ModuleVersion"
$Frameworks = 'net8.0', 'netstandard2.0'

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

# Runs a script in a fresh PowerShell of the same version as this one (the pinned dotnet tool or an installed pwsh).
function Invoke-PowerShell {
    param([string] $Script)
    $host_ = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $Script) + $args
    if (Test-Path $host_) { & $host_ @arguments } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') @arguments }
}

function Get-PesterModulePath {
    Invoke-Native dotnet @('restore', (Join-Path $Root 'build/Tools.proj'), '--nologo', '-v', 'quiet')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $manifest)) { throw "Pester 5.7.1 was not restored to $manifest." }
    $manifest
}

function Invoke-Build {
    Write-Host "Building AuroraSecurity $ModuleVersion ($Configuration)" -ForegroundColor Cyan
    Invoke-Native dotnet @('build', (Join-Path $Root 'AuroraSecurity.PowerShell.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')

    if (Test-Path $ModuleFolder) { Remove-Item $ModuleFolder -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $ModuleFolder | Out-Null

    foreach ($framework in $Frameworks) {
        $bin = Join-Path $Root "src/AuroraSecurity.PowerShell/bin/$Configuration/$framework"
        $target = Join-Path $ModuleFolder $framework
        $dependencies = Join-Path $target 'Dependencies'
        New-Item -ItemType Directory -Force -Path $dependencies | Out-Null
        Copy-Item (Join-Path $bin 'AuroraSecurity.PowerShell.dll') $target
        Get-ChildItem $bin -Filter *.dll |
            Where-Object { $_.Name -notin 'AuroraSecurity.PowerShell.dll', 'System.Management.Automation.dll' } |
            Copy-Item -Destination $dependencies
    }

    $formats = Get-ChildItem (Join-Path $Root 'src/AuroraSecurity.PowerShell/Formats') -Filter *.Format.ps1xml | Sort-Object Name
    # One format file in the module: PowerShell reads each listed file at import, so fewer files load faster.
    $combined = [xml]'<?xml version="1.0" encoding="utf-8"?><Configuration><ViewDefinitions /></Configuration>'
    foreach ($format in $formats) {
        [xml]$part = Get-Content $format.FullName -Raw
        foreach ($view in $part.Configuration.ViewDefinitions.View) {
            [void]$combined.Configuration['ViewDefinitions'].AppendChild($combined.ImportNode($view, $true))
        }
    }
    $combined.Save((Join-Path $ModuleFolder 'AuroraSecurity.Format.ps1xml'))
    Copy-Item (Join-Path $Root 'AuroraSecurity.Desktop.psm1') $ModuleFolder
    Copy-Item (Join-Path $Root 'compliance') $ModuleFolder -Recurse
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleFolder -ErrorAction SilentlyContinue

    # The help comes from the built assembly and docs/help; the manifest names the cmdlets itself (Module.Tests.ps1 checks it).
    $cmdletNames = Invoke-PowerShell (Join-Path $Root 'build/Write-ModuleHelp.ps1') -ModuleFolder $ModuleFolder -Root $Root
    if ($LASTEXITCODE -ne 0) { throw 'Writing the help file failed.' }
    foreach ($framework in $Frameworks) {
        Copy-Item (Join-Path $ModuleFolder 'en-US') (Join-Path $ModuleFolder $framework) -Recurse -Force
    }

    $manifest = Get-Content (Join-Path $Root 'AuroraSecurity.psd1') -Raw
    $formatList = "@('AuroraSecurity.Format.ps1xml')"
    $manifest = $manifest -replace "FormatsToProcess\s*=\s*@\([^)]*\)", "FormatsToProcess     = $formatList"
    Set-Content -Path (Join-Path $ModuleFolder 'AuroraSecurity.psd1') -Value $manifest -Encoding utf8
    Write-Host "Module: $ModuleFolder ($(@($cmdletNames).Count) cmdlets)" -ForegroundColor Cyan
}

function Start-Sandbox([string] $Name, [string[]] $Options = @()) {
    $lines = & bash (Join-Path $Root 'tests/sandbox/start.sh') --name $Name @Options
    if ($LASTEXITCODE -ne 0) { throw "The sandbox '$Name' did not start:`n$($lines -join "`n")" }
    ($lines | Select-Object -Last 1).Trim()
}

function Stop-Sandbox([string] $StateFile) {
    if ($StateFile) { & bash (Join-Path $Root 'tests/sandbox/stop.sh') (Split-Path $StateFile) | Out-Host }
}

# The RDS API double with the seed state and demo keys; prints nothing but its endpoint.
function Start-RdsDoubleProcess {
    $dll = Join-Path $Root "tests/RdsDouble/bin/$Configuration/net10.0/RdsDouble.dll"
    $keys = @{ AccessKey = 'AKIDDEMODOUBLE000001'; SecretKey = 'demo-double/secret+key' }
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $dll, '--state', (Join-Path $Root 'tests/RdsDouble/seed/default-state.json'), '--access-key', $keys.AccessKey, '--secret-key', $keys.SecretKey, '--region', 'us-east-1') {
        $info.ArgumentList.Add($a)
    }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($info)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (http://127\.0\.0\.1:\d+/)') { $process.Kill(); throw "The RDS double did not start: $line" }
    [pscustomobject]@{ Endpoint = $Matches[1]; AccessKey = $keys.AccessKey; SecretKey = $keys.SecretKey; Process = $process }
}

function Stop-RdsDoubleProcess($Double) {
    if (-not $Double) { return }
    $Double.Process.StandardInput.Close()
    if (-not $Double.Process.WaitForExit(5000)) { $Double.Process.Kill() }
}

function Get-TrxCounts([string] $Folder) {
    $passed = 0; $failed = 0
    foreach ($file in Get-ChildItem $Folder -Filter *.trx -ErrorAction SilentlyContinue) {
        [xml]$trx = Get-Content $file.FullName -Raw
        $counters = $trx.TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

# What tests may need besides the code: the xunit trait "Needs" and the Pester tag carry these names.
$TestNeeds = 'MariaDB', 'RdsDouble', 'AwsCli', 'Browser', 'Package'

function New-TestResultsFolder {
    $results = Join-Path $OutRoot 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $results | Out-Null
    $results
}

# The xunit command line, optionally leaving out the tests that need any of $Exclude.
function Get-XunitArguments([string] $Results, [string[]] $Exclude = @()) {
    $testArgs = @('test', (Join-Path $Root 'tests/AuroraSecurity.Tests'), '-c', $Configuration, '--no-build', '--nologo',
        '--logger', 'trx;LogFileName=xunit.trx', '--logger', 'console;verbosity=minimal', '--results-directory', $Results)
    $conditions = @($Exclude | ForEach-Object { "Needs!=$_" })
    if ($Filter) { $conditions += "FullyQualifiedName~$Filter" }
    if ($conditions) { $testArgs += @('--filter', ($conditions -join '&')) }
    $testArgs
}

# Runs xunit; returns the exit code.
function Invoke-Xunit([string] $Results, [string[]] $Exclude = @()) {
    Write-Host 'Running xunit' -ForegroundColor Cyan
    $testArgs = Get-XunitArguments $Results $Exclude
    & dotnet @testArgs | Out-Host
    $LASTEXITCODE
}

# Starts xunit in the background, its output kept until Wait-Xunit writes it: for runs that share no server with Pester.
function Start-Xunit([string] $Results, [string[]] $Exclude = @()) {
    Write-Host 'Running xunit (beside Pester)' -ForegroundColor Cyan
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in Get-XunitArguments $Results $Exclude) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync() }
}

# Waits for a background xunit run, writes its output and returns its exit code.
function Wait-Xunit($Run) {
    $Run.Process.WaitForExit()
    Write-Host 'xunit output' -ForegroundColor Cyan
    $Run.Output.GetAwaiter().GetResult() | Out-Host
    $Run.Errors.GetAwaiter().GetResult() | Out-Host
    $Run.Process.ExitCode
}

# Runs Pester in a fresh PowerShell, optionally leaving out the Describes tagged with any of $Exclude; returns the counts.
function Invoke-PesterRun([string] $Results, [string[]] $Exclude = @()) {
    Write-Host 'Running Pester' -ForegroundColor Cyan
    $pester = Get-PesterModulePath
    $output = Invoke-PowerShell (Join-Path $Root 'build/Invoke-PesterTests.ps1') -PesterManifest $pester -TestsFolder (Join-Path $Root 'tests/Pester') `
        -ResultFile (Join-Path $results 'pester.xml') -Filter $Filter -ExcludeTag ($Exclude -join ',')
    $output | Where-Object { $_ -notmatch '^PESTER-COUNTS' } | Out-Host
    $counts = $output | Where-Object { $_ -match '^PESTER-COUNTS (\d+) (\d+)' } | Select-Object -Last 1
    if ($counts -and $counts -match '^PESTER-COUNTS (\d+) (\d+)') {
        [pscustomobject]@{ Passed = [int]$Matches[1]; Failed = [int]$Matches[2] }
    }
    else {
        [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
}

function Write-TestSummary([string] $Results, [int] $XunitExit, $Pester) {
    $xunit = Get-TrxCounts $Results
    if ($XunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($Pester.Passed) passed, $($Pester.Failed) failed"
    $passed = $xunit.Passed + $Pester.Passed
    $failed = $xunit.Failed + $Pester.Failed
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Test {
    Invoke-Build
    $env:AURORA_PACKAGE_FOLDER = New-ModulePackage
    $results = New-TestResultsFolder

    $sandbox = $null
    $previous = $env:AURORA_SANDBOX
    $xunitExit = 1
    $pester = [pscustomobject]@{ Passed = 0; Failed = 1 }
    try {
        $sandbox = Start-Sandbox -Name 'test' -Options @('--general-log')
        $env:AURORA_SANDBOX = $sandbox
        $env:AURORA_MODULE_MANIFEST = Join-Path $ModuleFolder 'AuroraSecurity.psd1'
        Write-Host "Sandbox: $sandbox" -ForegroundColor Cyan
        $xunitExit = Invoke-Xunit $results
        $pester = Invoke-PesterRun $results
    }
    finally {
        Stop-Sandbox $sandbox
        $env:AURORA_SANDBOX = $previous
    }
    Write-TestSummary $results $xunitExit $pester
}

# The fast loop: only the tests that need nothing, with no server started.
function Invoke-UnitTest {
    Invoke-Build
    $results = New-TestResultsFolder
    $saved = $env:AURORA_SANDBOX, $env:AURORA_UNIT_TESTS_ONLY
    try {
        $env:AURORA_SANDBOX = $null
        $env:AURORA_UNIT_TESTS_ONLY = '1'
        $env:AURORA_MODULE_MANIFEST = Join-Path $ModuleFolder 'AuroraSecurity.psd1'
        # Nothing is shared, so the two run side by side.
        $xunit = Start-Xunit $results -Exclude $TestNeeds
        $pester = Invoke-PesterRun $results -Exclude $TestNeeds
        $xunitExit = Wait-Xunit $xunit
    }
    finally {
        $env:AURORA_SANDBOX, $env:AURORA_UNIT_TESTS_ONLY = $saved
    }
    Write-TestSummary $results $xunitExit $pester
}

function New-ModulePackage {
    $packages = Join-Path $OutRoot 'packages'
    New-Item -ItemType Directory -Force -Path $packages | Out-Null
    Get-ChildItem $packages -Filter 'AuroraSecurity.*.nupkg' | Remove-Item -Force
    $repository = "AuroraSecurityBuild$PID"
    Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
    try {
        Publish-PSResource -Path $ModuleFolder -Repository $repository -SkipDependenciesCheck
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
    $package = Get-ChildItem $packages -Filter 'AuroraSecurity.*.nupkg' | Select-Object -First 1
    if (-not $package) { throw "No package was written to $packages." }
    Write-Host "Package: $($package.FullName)" -ForegroundColor Cyan
    $packages
}

function Invoke-Package {
    Invoke-Build
    $null = New-ModulePackage
}

function Invoke-Demo {
    Invoke-Build
    $sandbox = $null
    $double = $null
    try {
        $sandbox = Start-Sandbox -Name 'demo' -Options @('--tls-version', 'TLSv1.2')
        $double = Start-RdsDoubleProcess
        Invoke-PowerShell (Join-Path $Root 'demo/demo.ps1') -ModuleManifest (Join-Path $ModuleFolder 'AuroraSecurity.psd1') -SandboxFile $sandbox `
            -RdsEndpoint $double.Endpoint -RdsAccessKey $double.AccessKey -RdsSecretKey $double.SecretKey
        if ($LASTEXITCODE -ne 0) { throw 'The demo failed.' }
    }
    finally {
        Stop-RdsDoubleProcess $double
        Stop-Sandbox $sandbox
    }
}

function Invoke-LambdaLayer {
    Invoke-Build
    $zip = Invoke-PowerShell (Join-Path $Root 'build/New-LambdaLayer.ps1') -ModuleFolder $ModuleFolder -OutputPath (Join-Path $OutRoot "lambda/AuroraSecurity-$ModuleVersion-layer.zip")
    if ($LASTEXITCODE -ne 0) { throw 'Writing the Lambda layer failed.' }
    Write-Host "Lambda layer: $zip" -ForegroundColor Cyan
}

function Invoke-Bench {
    Invoke-Build
    foreach ($script in Get-ChildItem (Join-Path $Root 'bench') -Recurse -Filter 'run.ps1' | Sort-Object FullName) {
        Write-Host "Benchmark: $($script.Directory.Name)" -ForegroundColor Cyan
        Invoke-PowerShell $script.FullName -ModuleManifest (Join-Path $ModuleFolder 'AuroraSecurity.psd1')
    }
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'UnitTest' { Invoke-UnitTest }
        'Package' { Invoke-Package }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'LambdaLayer' { Invoke-LambdaLayer }
    }
}
finally {
    Pop-Location
}

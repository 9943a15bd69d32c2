# What Import-Module AuroraSecurity adds to a bare PowerShell start: median of 10 runs each, interleaved so both
# see the same machine. Target: at most 150 ms added.
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [int] $Runs = 10
)
$ErrorActionPreference = 'Stop'
$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
[string[]]$prefix = if (Test-Path $pwsh) { @($pwsh) } else { @('dotnet', (Join-Path $PSHOME 'pwsh.dll')) }

function Measure-Start([string] $Command) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $prefix[0] @($prefix | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $Command | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "'$Command' failed." }
    $watch.Elapsed.TotalMilliseconds
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

# One warm-up of each so disk caches do not favour the second.
$null = Measure-Start 'exit 0'
$null = Measure-Start "Import-Module '$ModuleManifest'; exit 0"

$bare = [System.Collections.Generic.List[double]]::new()
$imported = [System.Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Runs; $i++) {
    $bare.Add((Measure-Start 'exit 0'))
    $imported.Add((Measure-Start "Import-Module '$ModuleManifest'; exit 0"))
}
$bareMedian = Get-Median $bare
$importMedian = Get-Median $imported
$added = $importMedian - $bareMedian
'{0,-34} {1,8:N0} ms' -f 'pwsh -NoProfile (median)', $bareMedian
'{0,-34} {1,8:N0} ms' -f 'pwsh + Import-Module (median)', $importMedian
'{0,-34} {1,8:N0} ms   (target <= 150 ms)' -f 'added by Import-Module', $added
'{0,-34} {1,8:N2}x' -f 'ratio import / bare', ($importMedian / $bareMedian)

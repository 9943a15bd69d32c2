# What Import-Module AuroraSecurity adds to a bare PowerShell start: median of 10 runs each, interleaved so all
# see the same machine. The floor is an empty binary module (one trivial cmdlet, one format file): PowerShell's module,
# binary-import and formatting machinery start up on first use, which any such module pays, so the difference to that
# floor is what this module itself costs. Target: at most 50 ms over the floor. The first command after the import is
# measured too (an offline cmdlet whose output is formatted, against the empty module's cmdlet), so cost moved out of
# the import into the first command shows.
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [int] $Runs = 10
)
$ErrorActionPreference = 'Stop'
# A relative path is taken from the current location; each measured pwsh starts elsewhere, so it gets the full path.
$ModuleManifest = (Resolve-Path -LiteralPath $ModuleManifest).ProviderPath
$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
# The pwsh executable, or where PowerShell runs as a dotnet tool, dotnet with pwsh.dll as its first argument.
$pwshCommand, $pwshArguments = if (Test-Path $pwsh) { $pwsh, @() } else { 'dotnet', @(Join-Path $PSHOME 'pwsh.dll') }

# Wall time of one pwsh run, and the processor time the run reports of itself at its end (all its threads): on a busy
# machine the wall time waits for other processes, the processor time much less, so both are kept.
# Each command keeps its own PowerShell cache folder (XDG_CACHE_HOME): pwsh replays the startup profile the previous
# process of the same folder recorded, and one folder shared by all would have each run replay another command's
# profile, as no user's machine does.
$cacheRoot = Join-Path ([IO.Path]::GetTempPath()) "aurora-bench-cache-$PID"
$savedCache = $env:XDG_CACHE_HOME

function Measure-Start([string] $Command) {
    $env:XDG_CACHE_HOME = Join-Path $cacheRoot ([Math]::Abs($Command.GetHashCode()))
    $watch = [Diagnostics.Stopwatch]::StartNew()
    # Every measured command stops at its first error (Import-Module's "not found" is otherwise non-terminating and
    # would be timed as if it had worked) and pwsh then exits non-zero.
    $output = & $pwshCommand @pwshArguments -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Command; [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds"
    if ($LASTEXITCODE -ne 0) { throw "'$Command' failed." }
    [pscustomobject]@{ Wall = $watch.Elapsed.TotalMilliseconds; Cpu = [double](@($output)[-1]) }
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

$emptyFolder = Join-Path ([IO.Path]::GetTempPath()) "aurora-bench-empty-$PID"
New-Item -ItemType Directory -Force -Path $emptyFolder | Out-Null
# Its cmdlet writes the object its one view shows, so its first command pays for PowerShell's table formatting as the
# module's first command does: that machinery starts up on first use whatever module asks for it.
Add-Type -OutputAssembly (Join-Path $emptyFolder 'Empty.dll') -OutputType Library -TypeDefinition @'
using System.Management.Automation;
namespace Empty { public sealed class Thing { public string Name => "empty"; } }
[Cmdlet(VerbsCommon.Get, "EmptyThing")]
public sealed class GetEmptyThingCommand : PSCmdlet { protected override void ProcessRecord() => WriteObject(new Empty.Thing()); }
'@
Set-Content (Join-Path $emptyFolder 'Empty.Format.ps1xml') '<?xml version="1.0" encoding="utf-8"?><Configuration><ViewDefinitions><View><Name>Empty</Name><ViewSelectedBy><TypeName>Empty.Thing</TypeName></ViewSelectedBy><TableControl><TableHeaders><TableColumnHeader /></TableHeaders><TableRowEntries><TableRowEntry><TableColumnItems><TableColumnItem><PropertyName>Name</PropertyName></TableColumnItem></TableColumnItems></TableRowEntry></TableRowEntries></TableControl></View></ViewDefinitions></Configuration>'
New-ModuleManifest -Path (Join-Path $emptyFolder 'Empty.psd1') -RootModule 'Empty.dll' -CmdletsToExport 'Get-EmptyThing' -FormatsToProcess 'Empty.Format.ps1xml'
$emptyManifest = Join-Path $emptyFolder 'Empty.psd1'

$bareCommand = '$null = 0'
$importCommand = "Import-Module '$ModuleManifest'"
$emptyCommand = "Import-Module '$emptyManifest'"
$firstCommand = "Import-Module '$ModuleManifest'; `$null = Get-AuroraSupportedCipher -EngineVersion 8.0.mysql_aurora.3.05.2 | Out-String"
$emptyFirstCommand = "Import-Module '$emptyManifest'; `$null = Get-EmptyThing | Out-String"
# Two warm-ups of each: the first records the command's startup profile, the second replays it once.
foreach ($command in $bareCommand, $importCommand, $emptyCommand, $firstCommand, $emptyFirstCommand) { $null = Measure-Start $command; $null = Measure-Start $command }

$bare = [System.Collections.Generic.List[object]]::new()
$imported = [System.Collections.Generic.List[object]]::new()
$empty = [System.Collections.Generic.List[object]]::new()
$first = [System.Collections.Generic.List[object]]::new()
$emptyFirst = [System.Collections.Generic.List[object]]::new()
for ($i = 0; $i -lt $Runs; $i++) {
    $bare.Add((Measure-Start $bareCommand))
    $empty.Add((Measure-Start $emptyCommand))
    $imported.Add((Measure-Start $importCommand))
    $emptyFirst.Add((Measure-Start $emptyFirstCommand))
    $first.Add((Measure-Start $firstCommand))
}
Remove-Item $emptyFolder, $cacheRoot -Recurse -Force
$env:XDG_CACHE_HOME = $savedCache
$bareMedian = Get-Median $bare.Wall
$importMedian = Get-Median $imported.Wall
$emptyMedian = Get-Median $empty.Wall
$firstMedian = Get-Median $first.Wall
$emptyFirstMedian = Get-Median $emptyFirst.Wall
$added = $importMedian - $bareMedian
'{0,-44} {1,8:N0} ms' -f 'pwsh -NoProfile (median)', $bareMedian
'{0,-44} {1,8:N0} ms' -f 'pwsh + empty binary module (median)', $emptyMedian
'{0,-44} {1,8:N0} ms' -f 'pwsh + Import-Module (median)', $importMedian
'{0,-44} {1,8:N0} ms' -f 'added by Import-Module', $added
'{0,-44} {1,8:N0} ms   (target <= 50 ms)' -f 'added over the empty binary module', ($importMedian - $emptyMedian)
'{0,-44} {1,8:N0} ms' -f 'pwsh + empty module + its first command', $emptyFirstMedian
'{0,-44} {1,8:N0} ms' -f 'pwsh + Import-Module + first command', $firstMedian
'{0,-44} {1,8:N0} ms' -f 'first command added over the empty module''s', (($firstMedian - $importMedian) - ($emptyFirstMedian - $emptyMedian))
'{0,-44} {1,8:N0} ms' -f 'import and first command over the empty module', ($firstMedian - $emptyFirstMedian)
'{0,-44} {1,8:N2}x' -f 'ratio import / bare', ($importMedian / $bareMedian)
'{0,-44} {1,8:N2}x' -f 'ratio import / empty binary module', ($importMedian / $emptyMedian)
'{0,-44} {1,8:N2}x' -f 'ratio with first command / empty module''s', ($firstMedian / $emptyFirstMedian)
'{0,-44} {1,8:N0} ms' -f 'processor time: import over the empty module', ((Get-Median $imported.Cpu) - (Get-Median $empty.Cpu))
'{0,-44} {1,8:N0} ms' -f 'processor time: with first command, over its', ((Get-Median $first.Cpu) - (Get-Median $emptyFirst.Cpu))

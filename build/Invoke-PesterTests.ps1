# Runs in a fresh PowerShell: the Pester suite under tests/Pester, then one line with the counts.
param(
    [Parameter(Mandatory)][string] $PesterManifest,
    [Parameter(Mandatory)][string] $TestsFolder,
    [Parameter(Mandatory)][string] $ResultFile,
    [string] $Filter,
    # Comma-separated tags whose Describes are left out.
    [string] $ExcludeTag
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force
$config = New-PesterConfiguration
$config.Run.Path = $TestsFolder
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = $ResultFile
if ($Filter) { $config.Filter.FullName = "*$Filter*" }
if ($ExcludeTag) { $config.Filter.ExcludeTag = $ExcludeTag -split ',' }
$run = Invoke-Pester -Configuration $config
"PESTER-COUNTS $($run.PassedCount) $($run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount)"

# Writes the module as an AWS Lambda layer for the PowerShell runtime: a zip whose modules/AuroraSecurity/<version>/ folder
# Lambda extracts to /opt/modules/AuroraSecurity/<version>/, which the runtime puts on PSModulePath. Only the .NET 8 build
# goes in (the runtime is PowerShell 7); its engine and dependencies stay in its Dependencies folder, where the module's
# own load context finds them. Prints the path of the zip.
param(
    # The built module folder (out/AuroraSecurity/<version>).
    [Parameter(Mandatory)][string] $ModuleFolder,
    # The zip to write (replaced when it exists).
    [Parameter(Mandatory)][string] $OutputPath
)
$ErrorActionPreference = 'Stop'
$ModuleFolder = (Resolve-Path $ModuleFolder).Path.TrimEnd('/', '\')
$manifest = Join-Path $ModuleFolder 'AuroraSecurity.psd1'
if (-not (Test-Path $manifest)) { throw "No module manifest in ${ModuleFolder}: build the module first (./build.ps1)." }
Import-Module (Join-Path $PSScriptRoot 'ManifestData.psm1')
$version = (Read-ManifestData $manifest).ModuleVersion
if ((Split-Path $ModuleFolder -Leaf) -ne $version) { throw "The module folder $ModuleFolder is not named after its manifest's version $version." }

$OutputPath = [IO.Path]::GetFullPath($OutputPath)
$null = New-Item -ItemType Directory -Force -Path (Split-Path $OutputPath)
if (Test-Path $OutputPath) { Remove-Item $OutputPath -Force }

Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
$prefix = "modules/AuroraSecurity/$version/"
$zip = [System.IO.Compression.ZipFile]::Open($OutputPath, [System.IO.Compression.ZipArchiveMode]::Create)
try {
    foreach ($file in Get-ChildItem -Path $ModuleFolder -Recurse -File) {
        # Entry names use '/' whatever the build machine, as Lambda's extraction expects.
        $relative = [IO.Path]::GetRelativePath($ModuleFolder, $file.FullName).Replace('\', '/')
        if ($relative.StartsWith('netstandard2.0/')) { continue }
        $null = [System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $file.FullName, $prefix + $relative, [System.IO.Compression.CompressionLevel]::Fastest)
    }
}
finally {
    $zip.Dispose()
}
$OutputPath

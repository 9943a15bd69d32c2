# Runs in a fresh PowerShell: imports the built cmdlet assembly, writes the MAML help file from docs/help,
# writes README's check table from the catalogue, and prints the exported cmdlet names for the manifest.
param(
    [Parameter(Mandatory)][string] $ModuleFolder,
    [Parameter(Mandatory)][string] $Root
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $Root 'build/HelpPages.psm1')
Add-Type -Path (Join-Path $ModuleFolder 'net8.0/AuroraSecurity.PowerShell.dll')
[AuroraSecurity.PowerShell.ModuleInitializer]::Register()
$binary = Import-Module (Join-Path $ModuleFolder 'net8.0/AuroraSecurity.PowerShell.dll') -PassThru
$cmdlets = @($binary.ExportedCmdlets.Values)
Import-Module (Join-Path $Root 'build/ManifestData.psm1')
$projectUri = (Read-ManifestData (Join-Path $Root 'AuroraSecurity.psd1')).PrivateData.PSData.ProjectUri
Write-MamlHelp -Command $cmdlets -PageFolder (Join-Path $Root 'docs/help') -OutputPath (Join-Path $ModuleFolder 'en-US/AuroraSecurity.PowerShell.dll-Help.xml') -ProjectUri $projectUri
Copy-Item (Join-Path $Root 'docs/about_AuroraSecurity.help.txt') (Join-Path $ModuleFolder 'en-US')

# README's check table comes from the catalogue; rewritten only when it changed.
Import-Module (Join-Path $Root 'build/CheckTable.psm1')
$readmePath = Join-Path $Root 'README.md'
$readme = Get-Content $readmePath -Raw
$updated = Set-CheckTableText -Readme $readme -Table (ConvertTo-CheckTable -Checks @(Get-AuroraSecurityCheck))
if ($updated -ne $readme) { Set-Content -Path $readmePath -Value $updated -NoNewline -Encoding utf8 }

$cmdlets.Name | Sort-Object

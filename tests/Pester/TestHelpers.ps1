# Shared by every Pester file: where the built module and the running sandbox are.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = if ($env:AURORA_MODULE_MANIFEST) {
    $env:AURORA_MODULE_MANIFEST
}
else {
    $version = (Import-PowerShellDataFile (Join-Path $script:RepoRoot 'AuroraSecurity.psd1')).ModuleVersion
    Join-Path $script:RepoRoot "out/AuroraSecurity/$version/AuroraSecurity.psd1"
}

function Get-TestSandbox {
    # The test task starts one sandbox for xunit and Pester and says where with AURORA_SANDBOX.
    if (-not $env:AURORA_SANDBOX -or -not (Test-Path $env:AURORA_SANDBOX)) {
        throw 'No sandbox: run the tests through ./build.ps1 -Task Test, which starts one and sets AURORA_SANDBOX.'
    }
    Get-Content $env:AURORA_SANDBOX -Raw | ConvertFrom-Json
}

function New-SandboxCredential($Sandbox) {
    [pscredential]::new($Sandbox.adminUser, (ConvertTo-SecureString $Sandbox.adminPassword -AsPlainText -Force))
}

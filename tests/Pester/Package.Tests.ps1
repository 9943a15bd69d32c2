# The package the build writes must install from a folder repository with Install-PSResource.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'The module package' -Tag 'Package' {
    It 'installs from a local folder repository and its cmdlets run' {
        $env:AURORA_PACKAGE_FOLDER | Should -Not -BeNullOrEmpty
        Get-ChildItem $env:AURORA_PACKAGE_FOLDER -Filter 'AuroraSecurity.*.nupkg' | Should -Not -BeNullOrEmpty

        # A PowerShell of its own with a throw-away home, so installing touches nothing of the user's.
        $home_ = Join-Path ([IO.Path]::GetTempPath()) ("aurora-install-" + [guid]::NewGuid())
        New-Item -ItemType Directory -Path $home_ | Out-Null
        $script = @'
$ErrorActionPreference = 'Stop'
$repository = "AuroraLocal$PID"
Register-PSResourceRepository -Name $repository -Uri $env:AURORA_PACKAGE_FOLDER -Trusted
try { Install-PSResource -Name AuroraSecurity -Repository $repository -Scope CurrentUser -TrustRepository -Quiet }
finally { Unregister-PSResourceRepository -Name $repository }
$module = Get-Module -ListAvailable AuroraSecurity | Select-Object -First 1
Import-Module AuroraSecurity
"INSTALLED $($module.ModuleBase)"
"CIPHERS $((Get-AuroraSupportedCipher -EngineVersion 3.05.2 | Where-Object Supported).Count)"
'@
        $scriptFile = Join-Path $home_ 'install.ps1'
        Set-Content $scriptFile $script
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $savedHome = $env:HOME; $savedData = $env:XDG_DATA_HOME; $savedConfig = $env:XDG_CONFIG_HOME; $savedModulePath = $env:PSModulePath
        try {
            $env:HOME = $home_; $env:XDG_DATA_HOME = Join-Path $home_ '.local/share'; $env:XDG_CONFIG_HOME = Join-Path $home_ '.config'
            $env:PSModulePath = $null
            # PowerShellGet's stores resolve against the working directory when no data folder is known.
            Push-Location $home_
            $output = if (Test-Path $pwsh) { & $pwsh -NoProfile -NonInteractive -File $scriptFile 2>&1 } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $scriptFile 2>&1 }
        }
        finally {
            Pop-Location
            $env:HOME = $savedHome; $env:XDG_DATA_HOME = $savedData; $env:XDG_CONFIG_HOME = $savedConfig; $env:PSModulePath = $savedModulePath
        }
        $text = $output | Out-String
        $text | Should -Match "INSTALLED $([regex]::Escape($home_))"
        $text | Should -Match 'CIPHERS 12'
        Remove-Item $home_ -Recurse -Force -ErrorAction SilentlyContinue
    }
}

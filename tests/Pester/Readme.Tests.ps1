# Runs the README's recipes as a reader would: every ```powershell block, in order, in one fresh PowerShell whose
# module path, AWS endpoint and credentials point at the build output and the RDS double (through the environment
# variables the AWS SDKs read, so the blocks run exactly as written). A block that cannot run here says why in an
# HTML comment just above it (<!-- not run: reason -->); every other block must run without an error.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Readme = Join-Path $RepoRoot 'README.md'

    function Get-ReadmeBlock([string] $Path) {
        $lines = Get-Content $Path
        $blocks = [System.Collections.Generic.List[object]]::new()
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch '^```(\w*)\s*$') { continue }
            $language = $Matches[1]
            $start = $i
            $body = [System.Collections.Generic.List[string]]::new()
            for ($i++; $i -lt $lines.Count -and $lines[$i] -notmatch '^```\s*$'; $i++) { $body.Add($lines[$i]) }
            $before = if ($start -gt 0) { $lines[$start - 1] } else { '' }
            $notRun = if ($before -match '^<!--\s*not run:\s*(.+?)\s*-->\s*$') { $Matches[1] } else { $null }
            $blocks.Add([pscustomobject]@{ Language = $language; Line = $start + 1; Code = $body -join "`n"; NotRun = $notRun })
        }
        $blocks
    }
}

Describe 'README recipes' -Tag 'RdsDouble' {
    It 'marks every block it does not run with a reason' {
        $blocks = Get-ReadmeBlock $Readme
        $blocks.Count | Should -BeGreaterThan 3
        foreach ($block in $blocks | Where-Object Language -ne 'powershell') {
            $block.NotRun | Should -Not -BeNullOrEmpty -Because "the $($block.Language) block at README line $($block.Line) is not PowerShell; say why it is not run"
        }
        @($blocks | Where-Object { $_.Language -eq 'powershell' -and -not $_.NotRun }).Count | Should -BeGreaterThan 1
    }

    It 'runs every runnable PowerShell block without an error' {
        $blocks = @(Get-ReadmeBlock $Readme | Where-Object { $_.Language -eq 'powershell' -and -not $_.NotRun })
        # The README's region is eu-west-1: the double signs and answers for it.
        $double = Start-RdsDouble -Region eu-west-1
        $work = Join-Path ([IO.Path]::GetTempPath()) ("aurora-readme-" + [guid]::NewGuid())
        New-Item -ItemType Directory -Path $work | Out-Null
        # The reader's clone: the build output where the README expects it, and nothing else to write over.
        New-Item -ItemType SymbolicLink -Path (Join-Path $work 'out') -Target (Join-Path $RepoRoot 'out') | Out-Null
        # The reader's AWS profiles: the default one and 'audit', which the compliance pack recipe names.
        New-Item -ItemType Directory -Path (Join-Path $work '.aws') | Out-Null
        $credentials = Join-Path $work '.aws/credentials'
        Set-Content $credentials "[default]`naws_access_key_id = $($double.AccessKey)`naws_secret_access_key = $($double.SecretKey)`n[audit]`naws_access_key_id = $($double.AccessKey)`naws_secret_access_key = $($double.SecretKey)`n"

        $script = [System.Text.StringBuilder]::new()
        [void]$script.AppendLine('$ErrorActionPreference = ''Stop''')
        # The reader has Pester 5 installed (the compliance pack recipe runs it).
        [void]$script.AppendLine("Import-Module '$((Get-Module Pester).Path)'")
        foreach ($block in $blocks) {
            [void]$script.AppendLine("'README-BLOCK $($block.Line)'")
            [void]$script.AppendLine($block.Code)
        }
        [void]$script.AppendLine("'README-DONE'")
        $scriptFile = Join-Path $work 'readme.ps1'
        Set-Content $scriptFile $script.ToString()

        $saved = @{}
        $environment = @{
            HOME = $work; XDG_DATA_HOME = (Join-Path $work '.local/share'); XDG_CONFIG_HOME = (Join-Path $work '.config')
            PSModulePath = $null; AWS_ENDPOINT_URL_RDS = $double.Endpoint; AWS_SHARED_CREDENTIALS_FILE = $credentials
            AWS_CONFIG_FILE = (Join-Path $work '.aws/config'); AWS_REGION = 'eu-west-1'; AWS_DEFAULT_REGION = $null; AWS_ENDPOINT_URL = $null
            AWS_ACCESS_KEY_ID = $null; AWS_SECRET_ACCESS_KEY = $null; AWS_PROFILE = $null
        }
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        Push-Location $work
        try {
            $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
            $output = if (Test-Path $pwsh) { & $pwsh -NoProfile -NonInteractive -File $scriptFile 2>&1 } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $scriptFile 2>&1 }
        }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            Stop-RdsDouble $double
        }
        $text = $output | Out-String
        Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
        foreach ($block in $blocks) { $text | Should -Match "README-BLOCK $($block.Line)\b" -Because "the block at README line $($block.Line) must be reached" }
        $text | Should -Match 'README-DONE' -Because $text
    }
}

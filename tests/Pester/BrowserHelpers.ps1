# Headless Chromium (Debian's chromium package, installed by .ci/run) to load reports as a user's browser does.

# Runs Chromium headless with a new, empty profile and no network chatter; returns what it printed on stdout.
function Invoke-HeadlessChromium([string[]] $Arguments) {
    Assert-TestNeed 'Browser'
    $chromium = (Get-Command chromium -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $chromium) { throw 'chromium is not installed: .ci/run installs it (apt-get install chromium).' }
    $profile = Join-Path ([IO.Path]::GetTempPath()) "aurora-chromium-$([guid]::NewGuid())"
    New-Item -ItemType Directory -Path $profile | Out-Null
    try {
        $all = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-extensions', "--user-data-dir=$profile") + $Arguments
        $output = & $chromium @all 2>$null
        if ($LASTEXITCODE -ne 0) { throw "chromium exited with $LASTEXITCODE." }
        $output -join "`n"
    }
    finally {
        Remove-Item $profile -Recurse -Force -ErrorAction SilentlyContinue
    }
}

# A local file as a file:// URI (each path segment escaped).
function ConvertTo-FileUri([string] $Path) {
    $full = (Resolve-Path -LiteralPath $Path).Path
    'file://' + (($full -split '/' | ForEach-Object { [uri]::EscapeDataString($_) }) -join '/')
}

# The DOM of a page after its scripts ran.
function Get-RenderedDom([string] $Path, [string] $Fragment = '') {
    $uri = (ConvertTo-FileUri $Path) + $Fragment
    Invoke-HeadlessChromium @('--virtual-time-budget=3000', '--dump-dom', $uri)
}

# A screenshot of a page, as a PNG file.
function Save-PageScreenshot([string] $Path, [string] $Screenshot, [string] $WindowSize = '1400,2400') {
    $uri = ConvertTo-FileUri $Path
    $null = Invoke-HeadlessChromium @("--screenshot=$Screenshot", "--window-size=$WindowSize", '--hide-scrollbars', '--virtual-time-budget=3000', $uri)
    Get-Item $Screenshot
}

# The finding rows of a rendered report: cluster, status, severity, check, and whether the filter hid them.
function Get-ReportRows([string] $Dom) {
    foreach ($section in [regex]::Matches($Dom, '<section class="cluster" data-cluster="([^"]*)"([^>]*)>(.*?)</section>', 'Singleline')) {
        $cluster = [System.Net.WebUtility]::HtmlDecode($section.Groups[1].Value)
        foreach ($row in [regex]::Matches($section.Groups[3].Value, '<tr class="finding"([^>]*)>(.*?)</tr>', 'Singleline')) {
            $attributes = $row.Groups[1].Value
            [pscustomobject]@{
                Cluster  = $cluster
                Status   = [regex]::Match($attributes, 'data-status="([^"]*)"').Groups[1].Value
                Severity = [regex]::Match($attributes, 'data-severity="([^"]*)"').Groups[1].Value
                CheckId  = [System.Net.WebUtility]::HtmlDecode([regex]::Match($attributes, 'data-check="([^"]*)"').Groups[1].Value)
                Hidden   = $attributes -match '\shidden(="[^"]*")?(\s|$)'
                Html     = $row.Groups[2].Value
            }
        }
    }
}

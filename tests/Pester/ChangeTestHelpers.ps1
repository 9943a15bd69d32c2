# Shared by the change cmdlets' Pester files: the aws CLI as an independent reader of the double, and the request log.
. (Join-Path $PSScriptRoot 'TestHelpers.ps1')

$script:MutatingActions = 'ModifyDBClusterParameterGroup', 'ResetDBClusterParameterGroup', 'CreateDBClusterParameterGroup', 'ModifyDBCluster', 'RebootDBInstance'

# PowerShell turns $null into '' for a string argument, and an empty AWS_PROFILE is a profile named ''.
function Set-ProcessVariable([string] $Name, $Value) {
    if ($null -eq $Value -or $Value -eq '') { Remove-Item "Env:\$Name" -ErrorAction SilentlyContinue }
    else { Set-Item "Env:\$Name" $Value }
}

# Runs `aws rds <arguments>` against the double with its keys and no other AWS configuration; returns the parsed JSON.
function Invoke-DoubleAwsCli($Double, [string[]] $Arguments) {
    Assert-TestNeed 'AwsCli'
    $empty = New-TemporaryFile
    $errors = New-TemporaryFile
    $settings = @{
        AWS_ACCESS_KEY_ID = $Double.AccessKey; AWS_SECRET_ACCESS_KEY = $Double.SecretKey
        AWS_CONFIG_FILE = $empty.FullName; AWS_SHARED_CREDENTIALS_FILE = $empty.FullName
        AWS_EC2_METADATA_DISABLED = 'true'; AWS_PAGER = ''; AWS_SESSION_TOKEN = $null; AWS_PROFILE = $null
        AWS_DEFAULT_REGION = $null; AWS_REGION = $null
    }
    $saved = @{}
    foreach ($name in $settings.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        Set-ProcessVariable $name $settings[$name]
    }
    try {
        $errorFile = $errors.FullName
        $output = & aws rds @Arguments --endpoint-url $Double.Endpoint --region us-east-1 --output json 2>$errorFile
        if ($LASTEXITCODE -ne 0) { throw "aws rds $($Arguments -join ' ') failed ($LASTEXITCODE): $(Get-Content $errorFile -Raw) $output" }
        ($output -join "`n") | ConvertFrom-Json
    }
    finally {
        foreach ($name in $saved.Keys) { Set-ProcessVariable $name $saved[$name] }
        Remove-Item $empty.FullName, $errors.FullName -ErrorAction SilentlyContinue
    }
}

# The value of one parameter of a cluster parameter group, as the aws CLI reads it (null when unset).
function Get-DoubleAwsCliParameter($Double, [string] $Group, [string] $Name) {
    $answer = Invoke-DoubleAwsCli $Double @('describe-db-cluster-parameters', '--db-cluster-parameter-group-name', $Group)
    ($answer.Parameters | Where-Object ParameterName -eq $Name).ParameterValue
}

function Get-DoubleMutatingRequests($Double) {
    @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object { $MutatingActions -contains $_.action })
}

function Clear-RdsDoubleRequests($Double) {
    $null = Invoke-RestMethod -Method Post -Uri ($Double.Endpoint + '_double/requests/clear')
}

# The built-in seeded state plus Aurora MySQL clusters at the given engine versions, each on a custom group of its own.
function New-DoubleStateFile([string] $Path, [string[]] $EngineVersions) {
    $state = Get-Content (Join-Path $RepoRoot 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
    foreach ($version in $EngineVersions) {
        $aurora = ($version -split '\.')[-3..-1] -join ''
        $family = if ($version.StartsWith('8.0')) { 'aurora-mysql8.0' } else { 'aurora-mysql5.7' }
        $id = "v$aurora"
        $state.clusterParameterGroups += [pscustomobject]@{ name = "$id-cpg"; family = $family; description = "Cluster on $version" }
        $state.clusters += [pscustomobject]@{ identifier = $id; engine = 'aurora-mysql'; engineVersion = $version; clusterParameterGroup = "$id-cpg" }
        $state.instances += [pscustomobject]@{ identifier = "$id-1"; clusterIdentifier = $id; isClusterWriter = $true; dbParameterGroup = "default.$family" }
    }
    $state | ConvertTo-Json -Depth 20 | Set-Content -Path $Path -Encoding utf8
    $Path
}

# Runs a script in a child PowerShell that cannot prompt (-NonInteractive), as a runbook does; returns its output as text.
function Invoke-NonInteractivePowerShell([string] $Script) {
    $file = Join-Path ([IO.Path]::GetTempPath()) "aurora-child-$([guid]::NewGuid()).ps1"
    Set-Content -Path $file -Value $Script
    try {
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $file)
        $output = if (Test-Path $pwsh) { & $pwsh @arguments 2>&1 } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') @arguments 2>&1 }
        ($output | ForEach-Object { "$_" }) -join "`n"
    }
    finally {
        Remove-Item $file -ErrorAction SilentlyContinue
    }
}

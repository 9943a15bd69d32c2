# Victim accounts, root SQL and the general log of the test sandbox, for the session cmdlets' tests.

function Invoke-SandboxRootSql($Sandbox, [string] $Sql) {
    $out = & mariadb --no-defaults --protocol=socket "--socket=$($Sandbox.socket)" "-u$($Sandbox.rootSocketUser)" --batch --skip-column-names -e $Sql 2>&1
    if ($LASTEXITCODE -ne 0) { throw "root SQL failed: $out" }
    $out
}

function New-VictimAccount($Sandbox, [string] $Prefix, [string] $Name, [string] $HostPattern = '%') {
    if (-not $Name) { $Name = '{0}_{1}' -f $Prefix, (Get-Random -Minimum 100000 -Maximum 999999) }
    $password = 'Pw-' + [guid]::NewGuid().ToString('N').Substring(0, 16)
    $null = Invoke-SandboxRootSql $Sandbox "CREATE USER '$Name'@'$HostPattern' IDENTIFIED BY '$password'; GRANT SELECT ON *.* TO '$Name'@'$HostPattern';"
    [pscustomobject]@{
        User       = $Name
        Host       = $HostPattern
        Password   = $password
        Credential = [pscredential]::new($Name, (ConvertTo-SecureString $password -AsPlainText -Force))
    }
}

function Remove-VictimAccount($Sandbox, $Account) {
    if ($Account) { $null = Invoke-SandboxRootSql $Sandbox "DROP USER IF EXISTS '$($Account.User)'@'$($Account.Host)'" }
}

# The general log as (Id, Command, Argument) rows; continuation lines of multi-line statements are skipped.
function Get-GeneralLog($Sandbox) {
    if (-not $Sandbox.generalLogFile) { throw 'The test sandbox runs without the general log.' }
    $stream = [IO.FileStream]::new($Sandbox.generalLogFile, 'Open', 'Read', 'ReadWrite')
    try { $text = [IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
    foreach ($line in $text -split "`n") {
        if ($line -match '^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2})?\s+(\d+)\s+(\w+)\t?(.*)$') {
            [pscustomobject]@{ Id = [long]$Matches[1]; Command = $Matches[2]; Argument = $Matches[3].Trim() }
        }
    }
}

function Get-KillCall($Sandbox, [long] $Id) {
    Get-GeneralLog $Sandbox | Where-Object { $_.Command -eq 'Query' -and $_.Argument -match "^CALL mysql\.rds_kill(_query)?\($Id\)$" }
}

# Waits up to 20 s for the condition; tests assert afterwards, never on the time it took.
function Wait-Until([scriptblock] $Condition) {
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while (-not (& $Condition) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
}

function Test-InProcessList($Sandbox, [long] $Id) {
    (Invoke-SandboxRootSql $Sandbox "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = $Id") -eq '1'
}

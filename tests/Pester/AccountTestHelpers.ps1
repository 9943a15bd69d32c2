# Shared by the account Pester files: root access over the sandbox socket, and the general log as a witness.
function Invoke-RootSql([string] $Sql) {
    $out = & mariadb --no-defaults --protocol=socket "--socket=$($sandbox.socket)" "-u$($sandbox.rootSocketUser)" --batch --skip-column-names -e $Sql 2>&1
    if ($LASTEXITCODE -ne 0) { throw "root SQL failed: $Sql`n$out" }
    $out
}

function Test-AccountExists([string] $User, [string] $HostName = '%') {
    $hexUser = [Convert]::ToHexString([Text.Encoding]::UTF8.GetBytes($User))
    $hexHost = [Convert]::ToHexString([Text.Encoding]::UTF8.GetBytes($HostName))
    (Invoke-RootSql "SELECT COUNT(*) FROM mysql.global_priv WHERE HEX(User) = '$hexUser' AND HEX(Host) = '$hexHost'") -eq '1'
}

function Get-LogMark { (Get-Item $sandbox.generalLogFile).Length }

# The statements one connection sent since the mark; waits until the last one matches $Until.
function Get-LoggedStatements([long] $Mark, [long] $Thread, [string] $Until) {
    $deadline = (Get-Date).AddSeconds(10)
    do {
        $stream = [IO.FileStream]::new($sandbox.generalLogFile, 'Open', 'Read', 'ReadWrite')
        try {
            $null = $stream.Seek($Mark, 'Begin')
            $text = [IO.StreamReader]::new($stream).ReadToEnd()
        }
        finally { $stream.Dispose() }
        $statements = @([regex]::Matches($text, "(?m)^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2})?\t\t?\s*$Thread Query\t(.*)$") | ForEach-Object { $_.Groups[1].Value })
        if (-not $Until -or ($statements | Where-Object { $_ -match $Until })) { return $statements }
        Start-Sleep -Milliseconds 100
    } while ((Get-Date) -lt $deadline)
    $statements
}

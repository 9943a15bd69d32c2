# Get-AuroraSession against the sandbox (MariaDB 10.11 standing in for Aurora MySQL).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'SessionHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $sandbox = Get-TestSandbox
    $credential = New-SandboxCredential $sandbox
    $session = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
    $account = New-VictimAccount $sandbox 'gs_victim'
    $victim = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $account.Credential -SslCa $sandbox.caFile
    $exact = $account.User
}

AfterAll {
    if ($victim) { $victim | Disconnect-AuroraMySql }
    if ($session) { $session | Disconnect-AuroraMySql }
    Remove-VictimAccount $sandbox $account
}

Describe 'Get-AuroraSession' -Tag 'MariaDB' {
    It 'offers pt-kill''s selection and no switch to list its own connection' {
        foreach ($name in 'User', 'UserPattern', 'HostName', 'HostPattern', 'ExcludeUserPattern', 'ExcludeHostPattern', 'Database', 'Command', 'State', 'Info', 'ExcludeUser', 'ExcludeHost', 'ExcludeDatabase',
            'ExcludeCommand', 'ExcludeState', 'ExcludeInfo', 'MinimumSeconds', 'BusyCommand', 'IdleSeconds', 'IncludeReserved',
            'IncludeSystemThread', 'IncludeReplication', 'Session', 'Endpoint', 'SqlCredential') {
            Get-Command Get-AuroraSession | Should -HaveParameter $name
        }
        (Get-Command Get-AuroraSession).Parameters.Keys | Should -Not -Contain 'IncludeSelf'
    }

    It 'takes -TlsVersion and -TlsCipherSuite for the connection it opens itself, as Connect-AuroraMySql does' {
        $connect = @{ Endpoint = $sandbox.host; Port = $sandbox.port; SqlCredential = $credential; SslCa = $sandbox.caFile }
        @(Get-AuroraSession @connect -TlsVersion TLSv1.2, TLSv1.3 -User $exact).Count | Should -Be 1

        $refused = $null
        try { Get-AuroraSession @connect -TlsVersion TLSv1.1 -ErrorAction Stop | Out-Null } catch { $refused = $_ }
        $refused.FullyQualifiedErrorId | Should -BeLike 'SqlTlsVerificationFailed*' -Because 'the sandbox accepts TLS 1.2 and 1.3 only'

        $unknown = $null
        try { Get-AuroraSession @connect -TlsCipherSuite NOT-A-CIPHER -ErrorAction Stop | Out-Null } catch { $unknown = $_ }
        $unknown.FullyQualifiedErrorId | Should -BeLike 'TlsCipherUnknown*'
    }

    It 'stops at once on Ctrl+C while a port that accepts stays silent instead of greeting' {
        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddCommand('Import-Module').AddArgument($ModuleManifest).AddStatement().
                AddCommand('Get-AuroraSession').AddParameter('Endpoint', '127.0.0.1').AddParameter('Port', $silent.LocalEndpoint.Port).
                AddParameter('SqlCredential', $credential).AddParameter('SslCa', $sandbox.caFile)
            $running = $shell.BeginInvoke()
            # The connection is made (and never answered) once the listener has one pending.
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while (-not $silent.Pending() -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $silent.Pending() | Should -BeTrue
            $stopping = $shell.BeginStop($null, $null)
            # A generous bound: the connect timeout is 15 s; stopping must not wait for it.
            $stopping.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(5)) | Should -BeTrue
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $running.IsCompleted | Should -BeTrue
        }
        finally {
            $shell.Dispose()
            $silent.Stop()
        }
    }

    It 'lists a session with the process list columns and where it was listed' {
        $row = Get-AuroraSession -Session $session -User $exact
        @($row).Count | Should -Be 1
        $row.Id | Should -Be $victim.ConnectionId
        $row.User | Should -BeExactly $account.User
        $row.Host | Should -Match '^127\.0\.0\.1:\d+$'
        $row.ClientAddress | Should -Be '127.0.0.1'
        $row.Command | Should -Be 'Sleep'
        $row.TimeSeconds | Should -BeGreaterOrEqual 0
        $row.Endpoint | Should -Be $sandbox.host
        $row.Port | Should -Be $sandbox.port
        $row.SourceConnectionId | Should -Be $session.ConnectionId
        $row.PSObject.TypeNames[0] | Should -Be 'AuroraSecurity.Sql.Sessions.SessionInfo'
    }

    It 'never lists its own connection' {
        $other = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
        try {
            $ids = (Get-AuroraSession -Session $session -IncludeReserved -IncludeSystemThread -IncludeReplication).Id
            $ids | Should -Not -Contain $session.ConnectionId
            $ids | Should -Contain $other.ConnectionId
        }
        finally { $other | Disconnect-AuroraMySql }
    }

    It 'connects by itself with -Endpoint and -SqlCredential' {
        $row = Get-AuroraSession -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -User $exact
        $row.Id | Should -Be $victim.ConnectionId
        $row.SourceConnectionId | Should -Not -Be $session.ConnectionId
    }

    It 'takes -User as a wildcard like Get-AuroraDbUser: the whole name, case-insensitive' {
        (Get-AuroraSession -Session $session -User $exact.ToUpperInvariant()).Id | Should -Be $victim.ConnectionId
        Get-AuroraSession -Session $session -User $exact.Substring(1) | Should -BeNullOrEmpty
        (Get-AuroraSession -Session $session -User ('*' + $exact.Substring(1))).Id | Should -Be $victim.ConnectionId
        (Get-AuroraSession -Session $session -User nobody_here, $exact).Id | Should -Be $victim.ConnectionId
        Get-AuroraSession -Session $session -User $exact -ExcludeUser 'GS_*' | Should -BeNullOrEmpty
        (Get-AuroraSession -Session $session -User $exact -HostName '127.0.0.1:*').Id | Should -Be $victim.ConnectionId
        Get-AuroraSession -Session $session -User $exact -Host '10.*' | Should -BeNullOrEmpty
        (Get-Command Get-AuroraSession).Parameters['User'].Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
    }

    It 'keeps pt-kill''s case-sensitive, unanchored regular expressions under -UserPattern' {
        (Get-AuroraSession -Session $session -UserPattern $exact.Substring(1)).Id | Should -Be $victim.ConnectionId
        Get-AuroraSession -Session $session -UserPattern $exact.ToUpperInvariant() | Should -BeNullOrEmpty
        Get-AuroraSession -Session $session -User $exact -ExcludeUserPattern 'gs_' | Should -BeNullOrEmpty
        Get-AuroraSession -Session $session -User $exact -ExcludeUserPattern 'GS_' | Should -Not -BeNullOrEmpty
    }

    It 'applies -MinimumSeconds to busy statements and -IdleSeconds to Sleep' {
        (Get-AuroraSession -Session $session -User $exact -IdleSeconds 0).Id | Should -Be $victim.ConnectionId
        Get-AuroraSession -Session $session -User $exact -MinimumSeconds 0 | Should -BeNullOrEmpty
        (Get-AuroraSession -Session $session -User $exact -MinimumSeconds 0 -BusyCommand Sleep).Id | Should -Be $victim.ConnectionId
        Get-AuroraSession -Session $session -User $exact -IdleSeconds 86400 | Should -BeNullOrEmpty
    }

    It 'stops with a clear error for a pattern that is not a regular expression' {
        { Get-AuroraSession -Session $session -HostPattern '(' -ErrorAction Stop } | Should -Throw -ErrorId 'SessionPatternInvalid*'
        try { Get-AuroraSession -Session $session -HostPattern '(' } catch { $_.Exception.Message | Should -Match '-HostPattern' }
        { Get-AuroraSession -Session $session -User 'app[' -ErrorAction Stop } | Should -Throw -ErrorId 'SessionPatternInvalid*'
    }

    It 'shows a table with the busy time' {
        $text = Get-AuroraSession -Session $session -User $exact | Format-Table | Out-String -Width 200
        $text | Should -Match 'TimeSeconds'
        $text | Should -Match ([regex]::Escape($account.User))
    }
}

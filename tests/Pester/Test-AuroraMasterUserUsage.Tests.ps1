# Test-AuroraMasterUserUsage against the sandbox: a throw-away account plays the master user.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'SessionHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $sandbox = Get-TestSandbox
    $credential = New-SandboxCredential $sandbox
    $connect = @{ Endpoint = $sandbox.host; Port = $sandbox.port; SslCa = $sandbox.caFile }
    $session = Connect-AuroraMySql @connect -SqlCredential $credential
    $master = New-VictimAccount $sandbox 'mu_master'
    $apps = 1..2 | ForEach-Object { Connect-AuroraMySql @connect -SqlCredential $master.Credential -Database mysql }
}

AfterAll {
    $apps | Where-Object { $_ } | Disconnect-AuroraMySql
    if ($session) { $session | Disconnect-AuroraMySql }
    Remove-VictimAccount $sandbox $master
}

Describe 'Test-AuroraMasterUserUsage' -Tag 'MariaDB' {
    It 'takes the master user name, admin by default, also as MasterUsername by property name' {
        $command = Get-Command Test-AuroraMasterUserUsage
        $command | Should -HaveParameter MasterUser -Type string
        $command.ImplementingType::new().MasterUser | Should -Be 'admin'
        $command.Parameters['MasterUser'].Aliases | Should -Contain 'MasterUsername'
    }

    It 'groups the master user''s sessions by client host' {
        $usage = Test-AuroraMasterUserUsage -Session $session -MasterUser $master.User
        @($usage).Count | Should -Be 1
        $usage.MasterUser | Should -BeExactly $master.User
        $usage.Host | Should -Be '127.0.0.1'
        $usage.SessionCount | Should -Be 2
        $usage.Databases | Should -Be @('mysql')
        $usage.Commands | Should -Be @('Sleep')
        $usage.OldestSeconds | Should -BeGreaterOrEqual 0
        $usage.Endpoint | Should -Be $sandbox.host
    }

    It 'binds MasterUsername from RDS cluster objects' {
        $usage = [pscustomobject]@{ MasterUsername = $master.User } | Test-AuroraMasterUserUsage -Session $session
        $usage.MasterUser | Should -BeExactly $master.User
        $usage.SessionCount | Should -Be 2
    }

    It 'writes nothing when no session uses the master user' {
        Test-AuroraMasterUserUsage -Session $session -MasterUser 'nobody_uses_this' | Should -BeNullOrEmpty
    }

    It 'shows a table with the session count per host' {
        $text = Test-AuroraMasterUserUsage -Session $session -MasterUser $master.User | Format-Table | Out-String -Width 200
        $text | Should -Match 'SessionCount'
        $text | Should -Match '127\.0\.0\.1'
    }

    # Last: the driver pools the connection this opens, so it stays on the server as one more idle session of the user.
    It 'does not count its own connection when run as the master user' {
        $usage = Test-AuroraMasterUserUsage @connect -SqlCredential $master.Credential -MasterUser $master.User
        $usage.SessionCount | Should -Be 2
    }
}

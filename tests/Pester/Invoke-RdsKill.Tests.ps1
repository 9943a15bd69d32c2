# Invoke-RdsKill against the sandbox, whose mysql.rds_kill / rds_kill_query behave like Aurora's.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'SessionHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $sandbox = Get-TestSandbox
    $credential = New-SandboxCredential $sandbox
    $connect = @{ Endpoint = $sandbox.host; Port = $sandbox.port; SslCa = $sandbox.caFile }
    $session = Connect-AuroraMySql @connect -SqlCredential $credential
    $account = New-VictimAccount $sandbox 'rk_victim'
    $exact = $account.User
    function New-Victim { Connect-AuroraMySql @connect -SqlCredential $account.Credential }
}

AfterAll {
    if ($session) { $session | Disconnect-AuroraMySql }
    Remove-VictimAccount $sandbox $account
}

Describe 'Invoke-RdsKill' -Tag 'MariaDB' {
    AfterEach {
        # Victims a test left alive would otherwise show up in the next test's selection.
        Get-AuroraSession -Session $session -User $exact | Invoke-RdsKill -Force | Out-Null
    }

    It 'asks for confirmation by default and offers -Force, -Query and -WhatIf' {
        $command = Get-Command Invoke-RdsKill
        # ShouldProcess always (-WhatIf, -Confirm); each kill is then confirmed with ShouldContinue, which -Force skips.
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'Medium'
        foreach ($name in 'Id', 'InputObject', 'Query', 'Force', 'WhatIf', 'Confirm', 'Session', 'Endpoint', 'SqlCredential') {
            $command | Should -HaveParameter $name
        }
        $command.Parameters['Id'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Contain $true
    }

    It 'ends the sessions Get-AuroraSession found, on the connection that found them' {
        $victims = 1..3 | ForEach-Object { New-Victim }
        $results = Get-AuroraSession @connect -SqlCredential $credential -User $exact | Invoke-RdsKill -Force

        @($results).Count | Should -Be 3
        $results.Result | Sort-Object -Unique | Should -Be 'Killed'
        $results.Action | Sort-Object -Unique | Should -Be 'Connection'
        ($results.Id | Sort-Object) | Should -Be ($victims.ConnectionId | Sort-Object)
        $results.User | Sort-Object -Unique | Should -BeExactly $account.User

        $calls = $victims | ForEach-Object { Get-KillCall $sandbox $_.ConnectionId }
        @($calls).Count | Should -Be 3
        $killer = @($calls.Id | Sort-Object -Unique)
        $killer.Count | Should -Be 1
        Get-GeneralLog $sandbox | Where-Object { $_.Id -eq $killer[0] -and $_.Argument -like '*FROM information_schema.PROCESSLIST' } | Should -Not -BeNullOrEmpty

        foreach ($v in $victims) {
            { Get-AuroraSession -Session $v -ErrorAction Stop } | Should -Throw -ErrorId 'SqlSessionLost*'
        }
        Wait-Until { -not (Get-AuroraSession -Session $session -User $exact) }
        Get-AuroraSession -Session $session -User $exact | Should -BeNullOrEmpty
    }

    It 'binds Id by property name from any object' {
        $v = New-Victim
        $result = [pscustomobject]@{ Id = $v.ConnectionId } | Invoke-RdsKill -Session $session -Force
        $result.Result | Should -Be 'Killed'
        $result.User | Should -BeExactly $account.User
    }

    It 'ends only the statement with -Query; the client keeps its connection' {
        # Statements on standard input: the client then carries on after an error, as it does not with -e.
        $psi = [Diagnostics.ProcessStartInfo]::new('mariadb')
        foreach ($a in '--no-defaults', '--force', "--host=$($sandbox.host)", "--port=$($sandbox.port)", "--user=$($account.User)",
            "--ssl-ca=$($sandbox.caFile)", '--ssl-verify-server-cert', '--batch', '--skip-column-names') {
            $psi.ArgumentList.Add($a)
        }
        $psi.Environment['MYSQL_PWD'] = $account.Password
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $client = [Diagnostics.Process]::Start($psi)
        $client.StandardInput.WriteLine('SELECT SLEEP(30);')
        $client.StandardInput.WriteLine("SELECT 'still-connected', CONNECTION_ID();")
        $client.StandardInput.Close()
        $stdout = $client.StandardOutput.ReadToEndAsync()
        $stderr = $client.StandardError.ReadToEndAsync()
        Wait-Until { Get-AuroraSession -Session $session -User $exact -Info 'SLEEP' }

        $result = Get-AuroraSession -Session $session -User $exact -Info 'SLEEP\(30\)' | Invoke-RdsKill -Query -Force

        $result.Result | Should -Be 'Killed'
        $result.Action | Should -Be 'Query'
        $client.WaitForExit(30000) | Should -BeTrue
        $stderr.Result | Should -Match '1317'
        $stdout.Result | Should -Match "still-connected\s+$($result.Id)"
        Get-KillCall $sandbox $result.Id | ForEach-Object Argument | Should -Be "CALL mysql.rds_kill_query($($result.Id))"
    }

    It 'reports AlreadyGone for an id the server does not know (error 1094)' {
        $result = Invoke-RdsKill -Session $session -Id 987654321 -Force
        $result.Result | Should -Be 'AlreadyGone'
        $result.Reason | Should -Match '1094'
        Get-KillCall $sandbox 987654321 | Should -Not -BeNullOrEmpty
    }

    It 'refuses its own connection with a warning and sends no kill' {
        $result = Invoke-RdsKill -Session $session -Id $session.ConnectionId -Force -WarningVariable warned 3>$null
        $result.Result | Should -Be 'Refused'
        $result.Reason | Should -Match 'own connection'
        $warned | Should -Not -BeNullOrEmpty
        Get-KillCall $sandbox $session.ConnectionId | Should -BeNullOrEmpty
        $session.IsOpen | Should -BeTrue
    }

    Context 'with a session of the reserved account rdsadmin' {
        BeforeAll {
            # A second 'rdsadmin' account reachable over TCP stands in for the locked rdsadmin@localhost.
            $reservedAccount = New-VictimAccount $sandbox -Name 'rdsadmin' -HostPattern '127.0.0.1'
            $reserved = Connect-AuroraMySql @connect -SqlCredential $reservedAccount.Credential
        }
        AfterAll {
            if ($reserved) { $reserved | Disconnect-AuroraMySql }
            Remove-VictimAccount $sandbox $reservedAccount
        }

        It 'refuses it from the pipeline without sending any SQL' {
            $listed = Get-AuroraSession -Session $session -User rdsadmin -IncludeReserved
            $listed.Id | Should -Be $reserved.ConnectionId
            $before = @(Get-GeneralLog $sandbox | Where-Object Id -eq $session.ConnectionId).Count

            $result = $listed | Invoke-RdsKill -Force -WarningAction SilentlyContinue

            $result.Result | Should -Be 'Refused'
            $result.Reason | Should -Match 'rdsadmin'
            @(Get-GeneralLog $sandbox | Where-Object Id -eq $session.ConnectionId).Count | Should -Be $before
            Get-KillCall $sandbox $reserved.ConnectionId | Should -BeNullOrEmpty
        }

        It 'refuses it by -Id too, and the session lives on' {
            $result = Invoke-RdsKill -Session $session -Id $reserved.ConnectionId -Force -WarningAction SilentlyContinue
            $result.Result | Should -Be 'Refused'
            $result.User | Should -Be 'rdsadmin'
            Get-KillCall $sandbox $reserved.ConnectionId | Should -BeNullOrEmpty
            (Get-AuroraSession -Session $reserved -ErrorAction Stop) | Out-Null
            Test-InProcessList $sandbox $reserved.ConnectionId | Should -BeTrue
        }
    }

    It 'sends nothing under -WhatIf' {
        $v = New-Victim
        $listed = Get-AuroraSession -Session $session -User $exact
        $before = @(Get-GeneralLog $sandbox | Where-Object Id -eq $session.ConnectionId).Count

        $result = $listed | Invoke-RdsKill -WhatIf

        $result.Result | Should -Be 'WhatIf'
        @(Get-GeneralLog $sandbox | Where-Object Id -eq $session.ConnectionId).Count | Should -Be $before
        Get-KillCall $sandbox $v.ConnectionId | Should -BeNullOrEmpty
        Test-InProcessList $sandbox $v.ConnectionId | Should -BeTrue
        $v | Disconnect-AuroraMySql
    }

    It 'without -Force asks before each kill, and where no one can answer sends nothing and says to add -Force' {
        $v = New-Victim
        $result = Invoke-RdsKill -Session $session -Id $v.ConnectionId -ErrorVariable failed -ErrorAction SilentlyContinue

        $result.Result | Should -Be 'Declined'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ConfirmationNeeded,*'
        $failed[0].Exception.Message | Should -Match "Session $($v.ConnectionId)"
        $failed[0].Exception.Message | Should -Match 'Add -Force'
        Get-KillCall $sandbox $v.ConnectionId | Should -BeNullOrEmpty
        Test-InProcessList $sandbox $v.ConnectionId | Should -BeTrue
        $v | Disconnect-AuroraMySql
    }

    It 'refuses sessions listed on another endpoint, whose ids mean other sessions' {
        $v = New-Victim
        $elsewhere = Connect-AuroraMySql -Endpoint localhost -Port $sandbox.port -SslCa $sandbox.caFile -SqlCredential $credential
        try {
            $result = Get-AuroraSession -Session $session -User $exact | Invoke-RdsKill -Session $elsewhere -Force -WarningAction SilentlyContinue
            $result.Result | Should -Be 'Refused'
            $result.Reason | Should -Match 'listed on'
            Get-KillCall $sandbox $v.ConnectionId | Should -BeNullOrEmpty
        }
        finally {
            $elsewhere | Disconnect-AuroraMySql
            $v | Disconnect-AuroraMySql
        }
    }

    It 'kills sessions listed earlier on a connection that has since closed, reopening it once' {
        $victims = 1..2 | ForEach-Object { New-Victim }
        $listed = Get-AuroraSession @connect -SqlCredential $credential -User $exact
        $results = $listed | Invoke-RdsKill -Force
        $results.Result | Sort-Object -Unique | Should -Be 'Killed'
        $killers = @($victims | ForEach-Object { Get-KillCall $sandbox $_.ConnectionId } | ForEach-Object Id | Sort-Object -Unique)
        # Get-AuroraSession closed its connection; the kills went over one connection opened with the same settings.
        $killers.Count | Should -Be 1
    }
}

# Get-AuroraDbUser, New-AuroraDbUser, Rename-AuroraDbUser, Remove-AuroraDbUser, Set-AuroraDbUserPassword,
# Grant-AuroraPrivilege and Revoke-AuroraPrivilege against the sandbox (MariaDB 10.11 with TLS).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'AccountTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $sandbox = Get-TestSandbox
    $credential = New-SandboxCredential $sandbox
    $session = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
    $names = "pester_app", "pester_app2", "pester'q", "pester_pw", "pester_grant", "pester_open", "pester_empty"
    foreach ($name in $names) {
        if (Test-AccountExists $name) { Invoke-RootSql "DROP USER '$($name -replace "'", "''")'@'%'" }
    }
    $password = 'Pester-Secret-' + [guid]::NewGuid().ToString('N')
    function New-TestCredential([string] $User, [string] $Secret = $password) {
        [pscredential]::new($User, (ConvertTo-SecureString $Secret -AsPlainText -Force))
    }
}

AfterAll {
    foreach ($name in $names) {
        if (Test-AccountExists $name) { Invoke-RootSql "DROP USER '$($name -replace "'", "''")'@'%'" }
    }
    $session | Disconnect-AuroraMySql
}

Describe 'New-AuroraDbUser and Get-AuroraDbUser' -Tag 'MariaDB' {
    It 'creates a password account that requires TLS by default, and the account can log in over TLS' {
        $created = New-AuroraDbUser -Session $session -UserCredential (New-TestCredential pester_app)
        $created.User | Should -Be 'pester_app'
        $created.Host | Should -Be '%'
        $created.SslType | Should -Be 'Any'
        $login = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential (New-TestCredential pester_app) -SslCa $sandbox.caFile
        $login.Encrypted | Should -BeTrue
        Disconnect-AuroraMySql $login
        $null = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential (New-TestCredential pester_app) -SslMode None -ErrorVariable refused -ErrorAction SilentlyContinue 3>$null
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'SqlAccessDenied*'
    }

    It 'creates an account without REQUIRE SSL only when asked' {
        (New-AuroraDbUser -Session $session -UserCredential (New-TestCredential pester_open) -NoRequireSsl).SslType | Should -Be 'None'
    }

    It 'round-trips a name with quotes' {
        $null = New-AuroraDbUser -Session $session -User "pester'q" -UserCredential (New-TestCredential "pester'q")
        (Get-AuroraDbUser -Session $session -User "pester'q").User | Should -BeExactly "pester'q"
    }

    It 'lists accounts with wildcards and a table view' {
        $found = Get-AuroraDbUser -Session $session -User 'pester_*' -HostName '%'
        $found.User | Should -Contain 'pester_app'
        ($found | Format-Table | Out-String -Width 200) | Should -Match 'AuthPlugin'
        ($found | Where-Object User -eq 'pester_app').Require | Should -Be 'REQUIRE SSL'
        foreach ($width in 80, 120) {
            $lines = ($found | Out-String -Width $width) -split '\r?\n' | Where-Object { $_.Trim() }
            $lines[0] | Should -Match '^User\s+Host\s+Require\s+AuthPlugin\s+Account\s*$' -Because "the header fits in $width columns"
            $lines | Where-Object { $_ -match '^pester_app\s+%\s+REQUIRE SSL\s' } | Should -Not -BeNullOrEmpty
        }
        (Get-AuroraDbUser -Session $session -User rds_superuser_role).IsRole | Should -BeTrue
    }

    It 'explains that MariaDB has no IAM plugin' {
        $null = New-AuroraDbUser -Session $session -User pester_iam -IamDatabaseUser -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'IamPluginMissing*'
        $failed[0].Exception.Message | Should -Match 'AWSAuthenticationPlugin'
    }

    It 'refuses names Aurora cannot hold, before any SQL' {
        $null = New-AuroraDbUser -Session $session -UserCredential (New-TestCredential ('x' * 33)) -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AccountUserTooLong*'
        $null = New-AuroraDbUser -Session $session -User rdsadmin -IamDatabaseUser -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ReservedAccount*'
    }

    It 'needs a credential or -IamDatabaseUser' {
        { New-AuroraDbUser -Session $session -User pester_none } | Should -Throw -ErrorId 'AccountAuthenticationMissing*'
    }

    It 'refuses an empty password before any SQL unless -AllowEmptyPassword, and then warns' {
        $empty = [pscredential]::new('pester_empty', [securestring]::new())
        { New-AuroraDbUser -Session $session -UserCredential $empty } | Should -Throw -ErrorId 'AccountPasswordEmpty*'
        Test-AccountExists pester_empty | Should -BeFalse
        $created = New-AuroraDbUser -Session $session -UserCredential $empty -AllowEmptyPassword -WarningVariable warned -WarningAction SilentlyContinue
        $created.User | Should -Be 'pester_empty'
        "$warned" | Should -Match "'pester_empty'@'%' gets an empty password"
    }

    It 'creates nothing with -WhatIf' {
        New-AuroraDbUser -Session $session -UserCredential (New-TestCredential pester_app2) -WhatIf | Should -BeNullOrEmpty
        Test-AccountExists pester_app2 | Should -BeFalse
    }
}

Describe 'Set-AuroraDbUserPassword' -Tag 'MariaDB' {
    It 'changes the password, which then logs in' {
        $null = New-AuroraDbUser -Session $session -UserCredential (New-TestCredential pester_pw)
        $new = "$password-2"
        Set-AuroraDbUserPassword -Session $session -User pester_pw -Password (ConvertTo-SecureString $new -AsPlainText -Force) -Confirm:$false
        $login = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential (New-TestCredential pester_pw $new) -SslCa $sandbox.caFile
        $login.User | Should -Be 'pester_pw'
        Disconnect-AuroraMySql $login
    }

    It 'refuses to set an empty password unless -AllowEmptyPassword, and then warns' {
        $null = New-AuroraDbUser -Session $session -UserCredential (New-TestCredential pester_empty) -ErrorAction SilentlyContinue
        { Set-AuroraDbUserPassword -Session $session -User pester_empty -Password ([securestring]::new()) -Confirm:$false } | Should -Throw -ErrorId 'AccountPasswordEmpty*'
        Set-AuroraDbUserPassword -Session $session -User pester_empty -Password ([securestring]::new()) -AllowEmptyPassword -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'gets an empty password'
    }

    It 'asks for confirmation: its impact is High' {
        (Get-Command Set-AuroraDbUserPassword).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
        (Get-Command Remove-AuroraDbUser).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
        (Get-Command Grant-AuroraPrivilege).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'Medium'
    }

    It 'never shows a password in output, verbose text, warnings or errors' {
        $secret = "$password-3"
        $everything = & {
            New-AuroraDbUser -Session $session -UserCredential (New-TestCredential pester_pw $secret) -Verbose -ErrorAction Continue
            Set-AuroraDbUserPassword -Session $session -User pester_pw -Password (ConvertTo-SecureString $secret -AsPlainText -Force) -Confirm:$false -Verbose
            Set-AuroraDbUserPassword -Session $session -User pester_nobody -Password (ConvertTo-SecureString $secret -AsPlainText -Force) -Confirm:$false -Verbose -ErrorAction Continue
            Set-AuroraDbUserPassword -Session $session -User pester_pw -Password (ConvertTo-SecureString $secret -AsPlainText -Force) -WhatIf
        } *>&1 | Out-String
        $everything | Should -Match 'pester_pw'
        $everything.Contains($secret) | Should -BeFalse
    }
}

Describe 'Confirmation of account changes' -Tag 'MariaDB' {
    It 'has -Force on every account cmdlet that changes something' {
        foreach ($name in 'New-AuroraDbUser', 'Rename-AuroraDbUser', 'Remove-AuroraDbUser', 'Set-AuroraDbUserPassword', 'Grant-AuroraPrivilege', 'Revoke-AuroraPrivilege', 'Set-AuroraUserSsl') {
            Get-Command $name | Should -HaveParameter Force -Type switch
        }
    }

    It 'says "add -Force" in a host that cannot ask, and carries on with the rest of the script' {
        $script = Join-Path $TestDrive 'non-interactive.ps1'
        Set-Content $script @'
param($Manifest, $SandboxJson)
Import-Module $Manifest
$sandbox = Get-Content $SandboxJson -Raw | ConvertFrom-Json
$credential = [pscredential]::new($sandbox.adminUser, (ConvertTo-SecureString $sandbox.adminPassword -AsPlainText -Force))
$session = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
Remove-AuroraDbUser -Session $session -User pester_nobody_here -ErrorVariable removeError -ErrorAction SilentlyContinue
$password = ConvertTo-SecureString 'Non-Interactive-1' -AsPlainText -Force
Set-AuroraDbUserPassword -Session $session -User pester_nobody_here -Password $password -ErrorVariable passwordError -ErrorAction SilentlyContinue
$kill = Invoke-RdsKill -Session $session -Id 987654321 -ErrorVariable killError -ErrorAction SilentlyContinue
[pscustomobject]@{
    Remove = "$($removeError[0].FullyQualifiedErrorId)|$($removeError[0].Exception.Message)"
    Password = "$($passwordError[0].FullyQualifiedErrorId)|$($passwordError[0].Exception.Message)"
    Kill = "$($killError[0].FullyQualifiedErrorId)|$($killError[0].Exception.Message)"
    KillResult = "$($kill.Result)"
    StillRunning = $true
} | ConvertTo-Json -Compress
'@
        $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $script $ModuleManifest $env:AURORA_SANDBOX 2>&1
        $answer = ($output | Select-Object -Last 1) | ConvertFrom-Json
        $answer.StillRunning | Should -BeTrue
        foreach ($line in $answer.Remove, $answer.Password, $answer.Kill) {
            $line | Should -BeLike 'ConfirmationNeeded*'
            $line | Should -Match 'cannot ask for \(it is not interactive\); nothing was done\. Add -Force to go ahead'
        }
        $answer.KillResult | Should -Be 'Declined'
    }
}

Describe 'Grant-AuroraPrivilege and Revoke-AuroraPrivilege' -Tag 'MariaDB' {
    BeforeAll { $null = New-AuroraDbUser -Session $session -UserCredential (New-TestCredential pester_grant) }

    It 'grants and revokes on a database whose name needs quoting' {
        Grant-AuroraPrivilege -Session $session -Privilege select, 'show view' -On '`pester.db`.*' -User pester_grant
        (Invoke-RootSql "SHOW GRANTS FOR 'pester_grant'@'%'") -join "`n" | Should -Match 'GRANT SELECT, SHOW VIEW ON `pester\.db`\.\* TO `pester_grant`@`%`'
        Revoke-AuroraPrivilege -Session $session -Privilege 'SHOW VIEW' -On '`pester.db`.*' -User pester_grant
        (Invoke-RootSql "SHOW GRANTS FOR 'pester_grant'@'%'") -join "`n" | Should -Not -Match 'SHOW VIEW'
    }

    It 'refuses unknown privileges and malformed levels before SQL' {
        Grant-AuroraPrivilege -Session $session -Privilege 'SELECT; DROP USER admin' -On '*.*' -User pester_grant -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PrivilegeUnknown*'
        Revoke-AuroraPrivilege -Session $session -Privilege SELECT -On 'a.b.c' -User pester_grant -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PrivilegeLevelInvalid*'
        Grant-AuroraPrivilege -Session $session -Privilege PROCESS -On 'db.*' -User pester_grant -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].Exception.Message | Should -Match '\*\.\*'
    }

    It 'will not touch the privileges of rdsadmin' {
        Revoke-AuroraPrivilege -Session $session -Privilege ALL -On '*.*' -User rdsadmin -HostName localhost -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ReservedAccount*'
    }
}

Describe 'Rename-AuroraDbUser and Remove-AuroraDbUser' -Tag 'MariaDB' {
    It 'says an account to remove does not exist, and nothing about a new name' {
        Remove-AuroraDbUser -Session $session -User pester_never_created -Force -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AccountNotFound,*'
        $failed[0].Exception.Message | Should -Match "'pester_never_created'@'%'.*the account does not exist"
        $failed[0].Exception.Message | Should -Not -Match 'new name'
    }

    It 'renames an account and keeps its TLS requirement' {
        $renamed = Rename-AuroraDbUser -Session $session -User pester_app -NewUser pester_app2
        $renamed.User | Should -Be 'pester_app2'
        $renamed.SslType | Should -Be 'Any'
        Test-AccountExists pester_app | Should -BeFalse
    }

    It 'sends nothing with -WhatIf' {
        $mark = Get-LogMark
        Get-AuroraDbUser -Session $session -User pester_app2 | Remove-AuroraDbUser -Session $session -WhatIf
        $null = Get-AuroraDbUser -Session $session -User nothing
        $sent = Get-LoggedStatements -Mark $mark -Thread $session.ConnectionId -Until 'FROM mysql.user ORDER BY'
        $sent | Where-Object { $_ -match '^DROP' } | Should -BeNullOrEmpty
        Test-AccountExists pester_app2 | Should -BeTrue
    }

    It 'drops accounts from the pipeline' {
        Get-AuroraDbUser -Session $session -User pester_app2, pester_open | Remove-AuroraDbUser -Session $session -Confirm:$false
        Test-AccountExists pester_app2 | Should -BeFalse
        Test-AccountExists pester_open | Should -BeFalse
    }

    It 'refuses to drop rdsadmin, which MariaDB would allow, and sends nothing' {
        $mark = Get-LogMark
        Remove-AuroraDbUser -Session $session -User rdsadmin -HostName localhost -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ReservedAccount*'
        $failed[0].Exception.Message | Should -Match 'No SQL was sent'
        $null = Get-AuroraDbUser -Session $session -User nothing
        $sent = Get-LoggedStatements -Mark $mark -Thread $session.ConnectionId -Until 'FROM mysql.user ORDER BY'
        $sent | Where-Object { $_ -match 'rdsadmin' } | Should -BeNullOrEmpty
        Test-AccountExists rdsadmin localhost | Should -BeTrue
    }
}

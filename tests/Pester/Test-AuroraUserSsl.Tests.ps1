# Test-AuroraUserSsl and Set-AuroraUserSsl against the sandbox (MariaDB 10.11 with TLS).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'AccountTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $sandbox = Get-TestSandbox
    $credential = New-SandboxCredential $sandbox
    $session = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
    foreach ($name in 'pester_ssl_a', 'pester_ssl_b', 'pester_ssl_c') {
        if (Test-AccountExists $name) { Invoke-RootSql "DROP USER '$name'@'%'" }
    }
    Invoke-RootSql "CREATE USER 'pester_ssl_a'@'%' IDENTIFIED BY 'x-Pa55'; CREATE USER 'pester_ssl_b'@'%' IDENTIFIED BY 'x-Pa55'; CREATE USER 'pester_ssl_c'@'%' IDENTIFIED BY 'x-Pa55' REQUIRE SSL"
}

AfterAll {
    Invoke-RootSql "DROP USER IF EXISTS 'pester_ssl_a'@'%', 'pester_ssl_b'@'%', 'pester_ssl_c'@'%'"
    $session | Disconnect-AuroraMySql
}

Describe 'Test-AuroraUserSsl' -Tag 'MariaDB' {
    It 'has the documented parameters' {
        Get-Command Test-AuroraUserSsl | Should -HaveParameter User -Type 'string[]'
        Get-Command Test-AuroraUserSsl | Should -HaveParameter MasterUser -Type string
        Get-Command Test-AuroraUserSsl | Should -HaveParameter Session
        Get-Command Test-AuroraUserSsl | Should -HaveParameter Endpoint
    }

    It 'lists every account with its TLS requirement and compliance' {
        $all = Test-AuroraUserSsl -Session $session
        $a = $all | Where-Object User -eq 'pester_ssl_a'
        $a.SslType | Should -Be 'None'
        $a.RequiresSsl | Should -BeFalse
        $a.Compliant | Should -BeFalse
        $a.AuthPlugin | Should -Be 'mysql_native_password'
        $c = $all | Where-Object User -eq 'pester_ssl_c'
        $c.SslType | Should -Be 'Any'
        $c.Compliant | Should -BeTrue
    }

    It 'says the requirement as SQL does (REQUIRE SSL) and leads the table with the verdict at 80 and 120 columns' {
        $some = Test-AuroraUserSsl -Session $session -User 'pester_ssl_*'
        ($some | Where-Object User -eq 'pester_ssl_c').Require | Should -Be 'REQUIRE SSL'
        ($some | Where-Object User -eq 'pester_ssl_a').Require | Should -Be 'REQUIRE NONE'
        foreach ($width in 80, 120) {
            $lines = ($some | Out-String -Width $width) -split '\r?\n' | Where-Object { $_.Trim() }
            $lines[0] | Should -Match '^Compliant\s+Require\s+User\s+Host\s+Account\s*$' -Because "the header fits in $width columns without wrapping"
            $lines | Where-Object { $_ -match '^False\s+REQUIRE NONE\s+pester_ssl_a\s' } | Should -Not -BeNullOrEmpty
            $lines | Where-Object { $_ -match '^True\s+REQUIRE SSL\s+pester_ssl_c\s' } | Should -Not -BeNullOrEmpty
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $width }
        }
    }

    It 'marks reserved accounts and roles but does not count them as failures' {
        $all = Test-AuroraUserSsl -Session $session
        $rdsadmin = $all | Where-Object User -eq 'rdsadmin'
        $rdsadmin.IsReserved | Should -BeTrue
        $rdsadmin.RequiresSsl | Should -BeFalse
        $rdsadmin.Compliant | Should -BeTrue
        $role = $all | Where-Object User -eq 'rds_superuser_role'
        $role.IsRole | Should -BeTrue
        $role.Compliant | Should -BeTrue
    }

    It 'marks the master user, admin by default or the one named' {
        (Test-AuroraUserSsl -Session $session -User admin).IsMasterUser | Should -BeTrue
        (Test-AuroraUserSsl -Session $session -User admin -MasterUser dba).IsMasterUser | Should -BeFalse
        (Test-AuroraUserSsl -Session $session -User pester_ssl_a -MasterUser pester_ssl_a).IsMasterUser | Should -BeTrue
    }

    It 'filters by wildcard and shows a table' {
        $some = Test-AuroraUserSsl -Session $session -User 'pester_ssl_*'
        @($some).Count | Should -Be 3
        ($some | Format-Table | Out-String -Width 200) | Should -Match 'Compliant'
    }

    It 'opens its own session from the connection parameters' {
        $result = Test-AuroraUserSsl -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -User pester_ssl_c
        $result.User | Should -Be 'pester_ssl_c'
    }
}

Describe 'Set-AuroraUserSsl' -Tag 'MariaDB' {
    It 'fixes what the audit finds through the pipeline, and sends nothing for accounts already compliant' {
        $results = Test-AuroraUserSsl -Session $session -User 'pester_ssl_*' | Where-Object { -not $_.RequiresSsl } | Set-AuroraUserSsl -Session $session -Require
        @($results).Count | Should -Be 2
        $results.Result | Should -Be @('Changed', 'Changed')
        (Test-AuroraUserSsl -Session $session -User 'pester_ssl_*').Compliant | Should -Not -Contain $false
        $again = Set-AuroraUserSsl -Session $session -User pester_ssl_a -Require
        $again.Result | Should -Be 'Unchanged'
        $again.PreviousSslType | Should -Be 'Any'
        $again.Require | Should -Be 'REQUIRE SSL'
        $said = Set-AuroraUserSsl -Session $session -User pester_ssl_a -Require -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$said" | Should -Match 'already has REQUIRE SSL'
        foreach ($width in 80, 120) {
            $lines = ($again | Out-String -Width $width) -split '\r?\n' | Where-Object { $_.Trim() }
            $lines[0] | Should -Match '^Result\s+User\s+Host\s+Before\s+Now\s*$'
            $lines | Where-Object { $_ -match '^Unchanged\s+pester_ssl_a\s+%\s+REQUIRE SSL\s+REQUIRE SSL' } | Should -Not -BeNullOrEmpty
        }
    }

    It 'changes nothing with -WhatIf' {
        $mark = Get-LogMark
        Set-AuroraUserSsl -Session $session -User pester_ssl_b -None -WhatIf | Should -BeNullOrEmpty
        $null = Get-AuroraDbUser -Session $session -User pester_ssl_b
        $sent = Get-LoggedStatements -Mark $mark -Thread $session.ConnectionId -Until 'FROM mysql.user ORDER BY'
        $sent | Where-Object { $_ -match '^(ALTER|GRANT|CREATE|DROP|RENAME|REVOKE|SET)' } | Should -BeNullOrEmpty
        (Test-AuroraUserSsl -Session $session -User pester_ssl_b).SslType | Should -Be 'Any'
    }

    It 'sets X509 and removes the requirement' {
        (Set-AuroraUserSsl -Session $session -User pester_ssl_b -HostName '%' -X509).SslType | Should -Be 'X509'
        (Set-AuroraUserSsl -Session $session -User pester_ssl_b -None).SslType | Should -Be 'None'
    }

    It 'needs exactly one requirement' {
        { Set-AuroraUserSsl -Session $session -User pester_ssl_b -Require -None } | Should -Throw -ErrorId 'SslRequirementMissing*'
        { Set-AuroraUserSsl -Session $session -User pester_ssl_b } | Should -Throw -ErrorId 'SslRequirementMissing*'
    }

    It 'refuses rdsadmin before any SQL and carries on with the next account' {
        $mark = Get-LogMark
        $results = @(
            [pscustomobject]@{ User = 'rdsadmin'; Host = 'localhost' }
            [pscustomobject]@{ User = 'pester_ssl_b'; Host = '%' }
        ) | Set-AuroraUserSsl -Session $session -Require -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ReservedAccount*'
        $failed[0].Exception.Message | Should -Match 'management services'
        $results.User | Should -Be 'pester_ssl_b'
        $sent = Get-LoggedStatements -Mark $mark -Thread $session.ConnectionId -Until "pester_ssl_b"
        $sent | Where-Object { $_ -match 'rdsadmin' } | Should -BeNullOrEmpty
    }

    It 'reports an account that does not exist' {
        $null = Set-AuroraUserSsl -Session $session -User pester_nobody -Require -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AccountNotFound*'
    }
}

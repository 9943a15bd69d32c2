BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Get-AuroraSupportedCipher' -Tag 'None' {
    It 'lists the twelve Aurora MySQL ciphers without a version' {
        $all = Get-AuroraSupportedCipher
        $all.Count | Should -Be 12
        $all[0].Cipher | Should -Be 'DHE-RSA-AES128-SHA'
        $all.Supported | Where-Object { $null -ne $_ } | Should -BeNullOrEmpty
    }

    It 'keeps only ECDHE ciphers for 2.11 and says why DHE is refused' {
        $result = Get-AuroraSupportedCipher -EngineVersion 5.7.mysql_aurora.2.11.2
        ($result | Where-Object Supported).Cipher | Should -Not -Match '^DHE'
        ($result | Where-Object Supported).Count | Should -Be 6
        ($result | Where-Object Cipher -eq 'DHE-RSA-AES256-SHA').Reason | Should -Match '2\.11\.0'
    }

    It 'supports all twelve on 3.05.2' {
        (Get-AuroraSupportedCipher -EngineVersion 8.0.mysql_aurora.3.05.2 | Where-Object Supported).Count | Should -Be 12
    }

    It 'binds EngineVersion from the pipeline by property name' {
        $clusters = [pscustomobject]@{ EngineVersion = '2.10.1' }
        $result = $clusters | Get-AuroraSupportedCipher
        ($result | Where-Object Supported).Cipher | Should -Match '^DHE'
    }

    It 'refuses a version it cannot read with a non-terminating error that names the accepted forms' {
        $result = Get-AuroraSupportedCipher -EngineVersion 8.0.32 -ErrorVariable failure -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'EngineVersionInvalid*'
        $failure[0].Exception.Message | Should -Match 'mysql_aurora'
    }

    It 'shows Supported, Cipher, Protocol and Reason in its table view' {
        $text = Get-AuroraSupportedCipher -EngineVersion 2.11.2 | Format-Table | Out-String
        $text | Should -Match 'Supported\s+Cipher\s+Protocol\s+Reason'
    }

    It 'shows an example in its full help' {
        (Get-Help Get-AuroraSupportedCipher -Full).Examples.Example.Count | Should -BeGreaterThan 0
    }
}

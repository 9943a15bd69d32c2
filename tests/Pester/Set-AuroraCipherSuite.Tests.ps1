BeforeDiscovery {
    # The cipher table's version boundaries: DHE below 2.11.0 and on 3.01.0+, ECDHE from 2.09.3 (within 2.09), 2.10.2 and 3.01.0.
    $script:Boundaries = @(
        @{ Version = '5.7.mysql_aurora.2.09.2'; Cipher = 'ECDHE-RSA-AES128-SHA'; Accepted = $false }
        @{ Version = '5.7.mysql_aurora.2.09.3'; Cipher = 'ECDHE-RSA-AES128-SHA'; Accepted = $true }
        @{ Version = '5.7.mysql_aurora.2.10.1'; Cipher = 'ECDHE-RSA-AES256-GCM-SHA384'; Accepted = $false }
        @{ Version = '5.7.mysql_aurora.2.10.2'; Cipher = 'ECDHE-RSA-AES256-GCM-SHA384'; Accepted = $true }
        @{ Version = '5.7.mysql_aurora.2.10.2'; Cipher = 'DHE-RSA-AES256-SHA'; Accepted = $true }
        @{ Version = '5.7.mysql_aurora.2.11.0'; Cipher = 'DHE-RSA-AES128-GCM-SHA256'; Accepted = $false }
        @{ Version = '5.7.mysql_aurora.2.11.0'; Cipher = 'ECDHE-RSA-AES128-GCM-SHA256'; Accepted = $true }
        @{ Version = '8.0.mysql_aurora.3.01.0'; Cipher = 'DHE-RSA-AES128-SHA'; Accepted = $true }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $versions = '5.7.mysql_aurora.2.09.2', '5.7.mysql_aurora.2.09.3', '5.7.mysql_aurora.2.10.1', '5.7.mysql_aurora.2.10.2', '5.7.mysql_aurora.2.11.0', '8.0.mysql_aurora.3.01.0'
    $script:StateFile = New-DoubleStateFile -Path (Join-Path $TestDrive 'state.json') -EngineVersions $versions
}

# Every scenario runs against both ways the double answers: full, and minimal (a terse RDS that leaves optional fields
# out, holds ModifyDBCluster settings in PendingModifiedValues and shows parameter changes late).
Describe 'Set-AuroraCipherSuite (<_> answers)' -ForEach 'full', 'minimal' -Tag 'RdsDouble', 'AwsCli' {
    BeforeAll {
        $script:Mode = $_
        $script:Double = Start-RdsDouble -StateFile $script:StateFile -Mode $_ -ParameterDelayMs 300
        $script:Aws = Get-RdsDoubleParameters $Double
    }

    AfterAll {
        Stop-RdsDouble $Double
    }

    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'offers the twelve cipher names on tab completion' {
        $completion = TabExpansion2 -inputScript 'Set-AuroraCipherSuite -Cipher ' -cursorColumn 30
        $completion.CompletionMatches.CompletionText | Should -Be (Get-AuroraSupportedCipher).Cipher
        (TabExpansion2 -inputScript 'Set-AuroraCipherSuite -Cipher ECDHE-RSA-AES256-G' -cursorColumn 48).CompletionMatches.CompletionText | Should -Be 'ECDHE-RSA-AES256-GCM-SHA384'
    }

    It 'refuses an unknown cipher with the list of valid names, before any request' {
        { Set-AuroraCipherSuite -ClusterIdentifier legacy -Cipher ECDHE-RSA-AES256-GCM-SHA384, AES128-SHA -Force @Aws } |
            Should -Throw -ExpectedMessage "*'AES128-SHA'*Valid ciphers: ECDHE-RSA-AES128-SHA, *ECDHE-RSA-AES256-GCM-SHA384 (*); DHE-RSA-AES128-SHA, *DHE-RSA-AES256-GCM-SHA384 (*below 2.11.0 only)."
        Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Should -BeNullOrEmpty
    }

    It 'refuses DHE on 2.11.2 with the reason' {
        Set-AuroraCipherSuite -ClusterIdentifier orders -Cipher DHE-RSA-AES256-SHA -Force @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].Exception.Message | Should -Match 'DHE-RSA ciphers are supported only below Aurora MySQL 2\.11\.0'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ChangeNotSupportedByEngine*'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It '<Cipher> on <Version>: accepted <Accepted>' -ForEach $Boundaries {
        $id = 'v' + ((($Version -split '\.')[-3..-1]) -join '')
        $result = Set-AuroraCipherSuite -ClusterIdentifier $id -Cipher $Cipher -Force @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        if ($Accepted) {
            $failed | Should -BeNullOrEmpty
            $result.SslCipher | Should -Be $Cipher
            Get-DoubleAwsCliParameter $Double "$id-cpg" 'ssl_cipher' | Should -Be $Cipher
        }
        else {
            $result | Should -BeNullOrEmpty
            $failed[0].Exception.Message | Should -Match ([regex]::Escape($Cipher))
            Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
        }
    }

    It 'pipes from Get-AuroraTlsConfig; -WhatIf sends nothing' {
        $result = Get-AuroraTlsConfig -ClusterIdentifier legacy @Aws | Set-AuroraCipherSuite -Cipher DHE-RSA-AES256-GCM-SHA384 -WhatIf @Aws
        $result.Change | Should -Be 'WhatIf'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'writes the list comma-separated with pending-reboot; both readers see it; the instances wait for a reboot' {
        $result = Get-AuroraTlsConfig -ClusterIdentifier legacy @Aws | Set-AuroraCipherSuite -Cipher DHE-RSA-AES256-GCM-SHA384, DHE-RSA-AES128-GCM-SHA256 -Force @Aws
        # ssl_cipher is static: accepted and read back, but in effect only after each instance reboots.
        $result.Change | Should -Be 'Pending'
        $result.RebootRequired | Sort-Object | Should -Be @('legacy-1', 'legacy-2')
        $result.ChangeNote | Should -Match '^Sent: ModifyDBClusterParameterGroup'
        $result.SslCipher | Should -Be @('DHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES128-GCM-SHA256')
        $result.PendingRebootMembers | Sort-Object | Should -Be @('legacy-1', 'legacy-2')
        $modify = (Get-DoubleMutatingRequests $Double)[0]
        $modify.parameters.'Parameters.Parameter.1.ParameterValue' | Should -Be 'DHE-RSA-AES256-GCM-SHA384,DHE-RSA-AES128-GCM-SHA256'
        $modify.parameters.'Parameters.Parameter.1.ApplyMethod' | Should -Be 'pending-reboot'
        Get-DoubleAwsCliParameter $Double 'legacy-aurora-mysql57' 'ssl_cipher' | Should -Be 'DHE-RSA-AES256-GCM-SHA384,DHE-RSA-AES128-GCM-SHA256'
        (Get-AuroraTlsConfig legacy @Aws).SslCipher | Should -Be @('DHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES128-GCM-SHA256')
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

# Every scenario runs against both ways the double answers: full, and minimal (a terse RDS that leaves optional fields
# out, holds ModifyDBCluster settings in PendingModifiedValues and shows parameter changes late).
Describe 'Set-AuroraTlsVersion (<_> answers)' -ForEach 'full', 'minimal' -Tag 'RdsDouble', 'AwsCli' {
    BeforeAll {
        $script:Mode = $_
        $script:Double = Start-RdsDouble -Mode $_ -ParameterDelayMs 300
        $script:Aws = Get-RdsDoubleParameters $Double
    }

    AfterAll {
        Stop-RdsDouble $Double
    }

    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'takes only TLSv1.2, TLSv1.1 and TLSv1' {
        { Set-AuroraTlsVersion -ClusterIdentifier legacy -MinimumTlsVersion TLSv1.3 -WhatIf @Aws } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It '-WhatIf sends nothing' {
        (Set-AuroraTlsVersion -ClusterIdentifier legacy -MinimumTlsVersion TLSv1.2 -WhatIf @Aws).Change | Should -Be 'WhatIf'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'sets tls_version on Aurora MySQL 2 with pending-reboot and lists the instances to reboot' {
        $result = Set-AuroraTlsVersion -ClusterIdentifier legacy -MinimumTlsVersion TLSv1.2 -Confirm:$false @Aws -WarningVariable warned
        # tls_version is static: accepted and read back, in effect after each instance reboots.
        $result.Change | Should -Be 'Pending'
        $result.RebootRequired | Sort-Object | Should -Be @('legacy-1', 'legacy-2')
        $result.PendingChange | Should -Match 'tls_version=TLSv1\.2 waits for instance reboots'
        $warned | Should -BeNullOrEmpty -Because 'raising the floor lowers nothing'
        $result.TlsVersion | Should -Be 'TLSv1.2'
        $result.TlsProtocols | Should -Be @('TLSv1.2')
        $result.PendingRebootMembers | Sort-Object | Should -Be @('legacy-1', 'legacy-2')
        (Get-DoubleMutatingRequests $Double)[0].parameters.'Parameters.Parameter.1.ApplyMethod' | Should -Be 'pending-reboot'
        Get-DoubleAwsCliParameter $Double 'legacy-aurora-mysql57' 'tls_version' | Should -Be 'TLSv1.2'
        (Get-AuroraTlsConfig legacy @Aws).TlsVersion | Should -Be 'TLSv1.2'
        (Set-AuroraTlsVersion -ClusterIdentifier legacy -MinimumTlsVersion TLSv1.2 @Aws).Change | Should -Be 'Unchanged'
    }

    It 'lowering the floor to TLSv1 warns, as Disable-AuroraSecureTransport does' {
        $result = Set-AuroraTlsVersion -ClusterIdentifier legacy -MinimumTlsVersion TLSv1 -Force @Aws -WarningVariable warned -WarningAction SilentlyContinue
        $result.Change | Should -Be 'Pending'
        $result.TlsProtocols | Should -Be @('TLSv1', 'TLSv1.1', 'TLSv1.2')
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -Match 'lowers the TLS floor below TLS 1\.2'
        $warned[0].Message | Should -Match '^legacy: pending'
    }

    It 'refuses Aurora MySQL 3 and says what version 3 allows' {
        $result = Set-AuroraTlsVersion -ClusterIdentifier analytics -MinimumTlsVersion TLSv1.2 -Confirm:$false @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].Exception.Message | Should -Match 'tls_version cannot be set'
        $failed[0].Exception.Message | Should -Match 'TLS 1\.0, 1\.1 and 1\.2 \(not TLS 1\.3\)'
        $failed[0].Exception.Message | Should -Match 'Set-AuroraCipherSuite'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }
}

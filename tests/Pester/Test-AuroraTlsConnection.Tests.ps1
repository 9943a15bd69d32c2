# Runs against the sandbox (MariaDB 10.11 with TLS) that the test task starts, and a CN-only sandbox started here.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $sandbox = Get-TestSandbox
    $credential = New-SandboxCredential $sandbox
    $setRequireSecureTransport = Join-Path $RepoRoot 'tests/sandbox/set-require-secure-transport.sh'
}

Describe 'Test-AuroraTlsConnection' -Tag 'MariaDB' {
    It 'reports a verified login with its protocol, cipher and certificate' {
        $report = Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -WarningAction SilentlyContinue
        $report.Connected | Should -BeTrue
        $report.Verified | Should -BeTrue
        $report.TlsProtocol | Should -Match '^TLSv1\.[23]$'
        $report.Cipher | Should -Not -BeNullOrEmpty
        $report.ChainValid | Should -BeTrue
        $report.MatchedBy | Should -Be 'SAN'
        $report.SubjectAlternativeNames | Should -Contain "DNS:$($sandbox.clusterEndpoint)"
        $report.Subject | Should -BeLike "*CN=$($sandbox.serverCertCommonName)*"
        $report.DaysUntilExpiry | Should -BeGreaterThan 30
        $report.Thumbprint | Should -Match '^[0-9A-F]{40}$'
        $report.CaFile | Should -Be $sandbox.caFile
        ($report | Format-Table | Out-String -Width 300) | Should -Match 'InsecureRefused'
    }

    It 'verifies the cluster endpoint through the SAN while connecting to the address' {
        $report = Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -ServerName $sandbox.clusterEndpoint -SqlCredential $credential -SslCa $sandbox.caFile -WarningAction SilentlyContinue
        $report.ServerName | Should -Be $sandbox.clusterEndpoint
        $report.MatchedBy | Should -Be 'SAN'
        $report.Connected | Should -BeTrue
    }

    It 'does not connect when the certificate does not name the server' {
        $report = Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -ServerName other.cluster-xyz.eu-west-1.rds.amazonaws.com -SqlCredential $credential -SslCa $sandbox.caFile -WarningAction SilentlyContinue
        $report.HostnameMatches | Should -BeFalse
        $report.MatchedBy | Should -Be 'None'
        $report.Connected | Should -BeFalse
        $report.Detail | Should -Match 'Name check failed'
    }

    It 'names the chain check when the CA file did not sign the certificate' {
        $report = Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.wrongCaFile -WarningAction SilentlyContinue
        $report.ChainValid | Should -BeFalse
        $report.Connected | Should -BeFalse
        $report.Detail | Should -Match 'Chain check failed'
    }

    It 'connects with a lowered SslMode but says so' {
        $report = Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.wrongCaFile -SslMode Required -WarningVariable warned -WarningAction SilentlyContinue
        $report.Connected | Should -BeTrue
        $report.Verified | Should -BeFalse
        $report.Warning | Should -Match 'does not verify'
        $warned | Should -Not -BeNullOrEmpty
    }

    It 'writes one object per endpoint, from parameters or the pipeline' {
        $reports = 'localhost', $sandbox.host | Test-AuroraTlsConnection -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -WarningAction SilentlyContinue
        $reports.Count | Should -Be 2
        $reports.Endpoint | Should -Be @('localhost', $sandbox.host)
        $reports.Connected | Should -Be @($true, $true)
    }

    It 'never shows the password' {
        $everything = Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -Verbose *>&1 | Out-String
        $everything += Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.wrongCaFile 3>&1 | Format-List * | Out-String
        $everything.Contains($sandbox.adminPassword) | Should -BeFalse
    }

    Context 'when the server requires secure transport' {
        BeforeAll { & bash $setRequireSecureTransport (Split-Path $env:AURORA_SANDBOX) ON | Out-Null }
        AfterAll { & bash $setRequireSecureTransport (Split-Path $env:AURORA_SANDBOX) OFF | Out-Null }

        It 'reports that plaintext logins are refused, with no warning' {
            $report = Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -WarningVariable warned
            $report.InsecureRefused | Should -BeTrue
            $report.InsecureEvidence | Should -Match 'require_secure_transport is ON \(read over the verified TLS session\)'
            $report.Warning | Should -BeNullOrEmpty
            $warned | Should -BeNullOrEmpty
        }
    }

    It 'warns when plaintext logins are accepted' {
        $report = Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -WarningVariable warned -WarningAction SilentlyContinue
        $report.InsecureRefused | Should -BeFalse
        "$warned" | Should -Match 'require_secure_transport=ON'
        $report.InsecureEvidence | Should -Match 'require_secure_transport is OFF'
        $report.InsecureEvidence | Should -Match 'carrying no password was refused with error 1045'
    }

    It 'warns before connecting when SslMode Preferred could send the password unencrypted' {
        $records = Test-AuroraTlsConnection -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslMode Preferred *>&1
        $records[0] | Should -BeOfType System.Management.Automation.WarningRecord
        $records[0].Message | Should -Match 'SslMode Preferred falls back'
    }

    Context 'against a certificate without SAN' {
        BeforeAll {
            $lines = & bash (Join-Path $RepoRoot 'tests/sandbox/start.sh') --name pester-nosan --no-san 2>$null
            $noSan = Get-Content ($lines | Select-Object -Last 1) -Raw | ConvertFrom-Json
            $noSanCredential = New-SandboxCredential $noSan
        }
        AfterAll { & bash (Join-Path $RepoRoot 'tests/sandbox/stop.sh') pester-nosan | Out-Null }

        It 'matches localhost by CN and shows an empty SAN list' {
            $report = Test-AuroraTlsConnection -Endpoint localhost -Port $noSan.port -SqlCredential $noSanCredential -SslCa $noSan.caFile -WarningAction SilentlyContinue
            $report.MatchedBy | Should -Be 'CN'
            @($report.SubjectAlternativeNames).Count | Should -Be 0
            $report.Connected | Should -BeTrue
        }

        It 'does not match an address by CN' {
            $report = Test-AuroraTlsConnection -Endpoint $noSan.host -Port $noSan.port -SqlCredential $noSanCredential -SslCa $noSan.caFile -WarningAction SilentlyContinue
            $report.MatchedBy | Should -Be 'None'
            $report.Connected | Should -BeFalse
        }
    }
}

# Runs against the sandbox the test task starts, and a TLS 1.2-only sandbox with three ciphers started here;
# sslscan, an independent scanner, is the reference for what the server accepts.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $sandbox = Get-TestSandbox

    function Get-SslScanAccepted([string] $Address, [int] $Port) {
        $text = & sslscan --no-colour --starttls-mysql "$($Address):$Port"
        if ($LASTEXITCODE -ne 0) { throw "sslscan failed: $text" }
        [pscustomobject]@{
            Protocols = @($text | Where-Object { $_ -match '^(TLSv1\.[0-3])\s+enabled' } | ForEach-Object { ($_ -split '\s+')[0] })
            Ciphers   = @($text | Where-Object { $_ -match '^(Accepted|Preferred)\s+TLSv1\.2\s' } | ForEach-Object { ($_ -split '\s+')[4] })
        }
    }
}

Describe 'Test-AuroraTlsEndpoint' -Tag 'MariaDB' {
    It 'writes one object per protocol and per Aurora MySQL cipher' {
        $results = Test-AuroraTlsEndpoint -Endpoint $sandbox.host -Port $sandbox.port
        $results.Count | Should -Be 16
        @($results | Where-Object Kind -eq 'Protocol').Name | Should -Be @('TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3')
        @($results | Where-Object Kind -eq 'Cipher').Name | Should -Be @((Get-AuroraSupportedCipher).Cipher)
        ($results | Where-Object Name -eq 'TLSv1.2').Accepted | Should -BeTrue
        ($results | Format-Table | Out-String -Width 300) | Should -Match 'Negotiated'
    }

    It 'never reports a protocol this client could not offer as not accepted' {
        $results = Test-AuroraTlsEndpoint -Endpoint $sandbox.host -Port $sandbox.port -TlsVersion TLSv1, TLSv1.1 -TlsCipherSuite @() -WarningVariable warned -WarningAction SilentlyContinue
        @($results).Count | Should -Be 2
        foreach ($result in $results) {
            if ($result.Status -eq 'NotTestable') {
                $result.Accepted | Should -BeNullOrEmpty
                $result.Detail | Should -Match '^Not tested: this client could not offer'
                "$warned" | Should -Match ([regex]::Escape($result.Name))
            }
            else {
                $result.Status | Should -Be 'Refused'
                $result.Accepted | Should -BeFalse
                $result.Detail | Should -Not -Match 'no (ciphers|protocols) available'
            }
        }
        ($results | Format-Table | Out-String -Width 300) | Should -Match 'Status'
    }

    It 'tests only what is asked for' {
        $results = Test-AuroraTlsEndpoint -Endpoint $sandbox.host -Port $sandbox.port -TlsVersion TLSv1.2 -TlsCipherSuite ECDHE-RSA-AES256-GCM-SHA384
        $results.Count | Should -Be 2
        $results[1].NegotiatedCipherSuite | Should -Be 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'
    }

    It 'refuses a cipher that is not in the Aurora MySQL cipher table with a stable error id' {
        $results = Test-AuroraTlsEndpoint -Endpoint $sandbox.host -Port $sandbox.port -TlsCipherSuite RC4-MD5 -ErrorVariable failure -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'TlsCipherUnknown*'
    }

    It 'reports an endpoint that does not answer as an error' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $null = Test-AuroraTlsEndpoint -Endpoint 127.0.0.1 -Port $port -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'TlsEndpointUnreachable*'
        $failure[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    Context 'against a server restricted to TLS 1.2 and three ciphers' {
        BeforeAll {
            $allowed = 'ECDHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA'
            $lines = & bash (Join-Path $RepoRoot 'tests/sandbox/start.sh') --name pester-cipher --ssl-cipher ($allowed -join ',') 2>$null
            $restricted = Get-Content ($lines | Select-Object -Last 1) -Raw | ConvertFrom-Json
            $results = Test-AuroraTlsEndpoint -Endpoint $restricted.host -Port $restricted.port
            $scan = Get-SslScanAccepted $restricted.host $restricted.port
        }
        AfterAll { & bash (Join-Path $RepoRoot 'tests/sandbox/stop.sh') pester-cipher | Out-Null }

        It 'accepts exactly the ciphers sslscan finds among Aurora MySQL''s twelve' {
            $aurora = (Get-AuroraSupportedCipher).Cipher
            $ours = @($results | Where-Object { $_.Kind -eq 'Cipher' -and $_.Accepted } | ForEach-Object Name | Sort-Object)
            $theirs = @($scan.Ciphers | Where-Object { $aurora -contains $_ } | Sort-Object)
            $ours | Should -Be $theirs
            $ours | Should -Be @($allowed | Sort-Object)
        }

        It 'agrees with sslscan on TLS 1.2 and TLS 1.3' {
            foreach ($protocol in 'TLSv1.2', 'TLSv1.3') {
                ($results | Where-Object Name -eq $protocol).Accepted | Should -Be ($scan.Protocols -contains $protocol) -Because $protocol
            }
            ($results | Where-Object Name -eq 'TLSv1.3').Accepted | Should -BeFalse
        }
    }
}

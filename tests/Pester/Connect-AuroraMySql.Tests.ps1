# Runs against the sandbox (MariaDB 10.11 with TLS) that the test task starts.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $sandbox = Get-TestSandbox
    $credential = New-SandboxCredential $sandbox
    $setRequireSecureTransport = Join-Path $RepoRoot 'tests/sandbox/set-require-secure-transport.sh'
}

Describe 'Connect-AuroraMySql and Disconnect-AuroraMySql' -Tag 'MariaDB' {
    It 'opens a verified TLS session by default and says what was negotiated' {
        $session = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
        try {
            $session.SslMode | Should -Be 'VerifyFull'
            $session.Encrypted | Should -BeTrue
            $session.TlsProtocol | Should -Match '^TLSv1\.[23]$'
            $session.TlsCipher | Should -Not -BeNullOrEmpty
            $session.ServerKind | Should -Be 'MariaDb'
            $session.ConnectionId | Should -BeGreaterThan 0
            $session.CaFile | Should -Be $sandbox.caFile
            ($session | Format-Table | Out-String -Width 300) | Should -Match 'TlsProtocol'
        }
        finally {
            $session | Disconnect-AuroraMySql
        }
        $session.IsOpen | Should -BeFalse
    }

    It 'leaves no idle session on the server after Disconnect-AuroraMySql' {
        $watcher = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
        $session = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
        $id = $session.ConnectionId
        (Get-AuroraSession -Session $watcher | Where-Object Id -eq $id) | Should -Not -BeNullOrEmpty
        Disconnect-AuroraMySql $session
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((Get-AuroraSession -Session $watcher | Where-Object Id -eq $id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        (Get-AuroraSession -Session $watcher | Where-Object Id -eq $id) | Should -BeNullOrEmpty
        Disconnect-AuroraMySql $watcher
    }

    It 'verifies the host name through the certificate (localhost is in its SAN)' {
        $session = Connect-AuroraMySql -Endpoint localhost -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
        $session.Encrypted | Should -BeTrue
        Disconnect-AuroraMySql $session
    }

    It 'fails against a certificate from another CA with a message naming the CA file' {
        $result = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.wrongCaFile -ErrorVariable failure -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'SqlTlsVerificationFailed*'
        $failure[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $failure[0].Exception.Message | Should -BeLike "*$($sandbox.wrongCaFile)*"
    }

    It 'refuses a cipher it cannot map before connecting, and carries on with the next endpoint' {
        $sessions = [pscustomobject]@{ Endpoint = 'localhost' }, [pscustomobject]@{ Endpoint = $sandbox.host } | Connect-AuroraMySql -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -TlsCipherSuite NOT-A-CIPHER -ErrorVariable failure -ErrorAction SilentlyContinue
        $sessions | Should -BeNullOrEmpty
        $failure.Count | Should -Be 2
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'TlsCipherUnknown*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure[0].Exception.Message | Should -BeLike "*'NOT-A-CIPHER'*ECDHE-RSA-AES256-GCM-SHA384*"
    }

    It 'names the check that failed when the server refuses the offered cipher' {
        $null = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -TlsVersion TLSv1.1 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'SqlTlsVerificationFailed*'
        $failure[0].Exception.Message | Should -Match 'protocol/cipher check'
    }

    It 'refuses a CA file that does not exist before connecting' {
        $missing = Join-Path ([IO.Path]::GetTempPath()) 'no-such-bundle.pem'
        $null = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $missing -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'SqlCaFileNotFound*'
        $failure[0].Exception.Message | Should -BeLike '*global-bundle.pem*'
    }

    Context 'when the server requires secure transport' {
        BeforeAll { & bash $setRequireSecureTransport (Split-Path $env:AURORA_SANDBOX) ON | Out-Null }
        AfterAll { & bash $setRequireSecureTransport (Split-Path $env:AURORA_SANDBOX) OFF | Out-Null }

        It 'explains that the server requires TLS and how to connect with it' {
            $null = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslMode None -ErrorVariable failure -ErrorAction SilentlyContinue 3>$null
            $failure[0].Exception.Message | Should -Match 'requires TLS'
            $failure[0].Exception.Message | Should -Match '-SslMode VerifyFull -SslCa'
        }

        It 'still connects over verified TLS' {
            $session = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile
            $session.Encrypted | Should -BeTrue
            Disconnect-AuroraMySql $session
        }
    }

    It 'warns before connecting that SslMode Preferred may send the password unencrypted' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $closedPort = $listener.LocalEndpoint.Port; $listener.Stop()
        $records = Connect-AuroraMySql -Endpoint 127.0.0.1 -Port $closedPort -SqlCredential $credential -SslMode Preferred -ConnectTimeout 2 -ErrorAction Continue *>&1
        $records[0] | Should -BeOfType System.Management.Automation.WarningRecord
        $records[0].Message | Should -Match 'SslMode Preferred falls back to an unencrypted connection'
        @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 1
        $records[-1] | Should -BeOfType System.Management.Automation.ErrorRecord
    }

    It 'logs in with an IAM token that the server checks, and keeps the token out of the session and the streams' {
        $keys = @{ AccessKey = 'AKIDPESTERIAMLOGIN01'; SecretKey = 'pester-iam/login+secret' }
        $user = "iam_connect_$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-SandboxIamUser $sandbox -User $user @keys
        try {
            $streams = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -IamAuthentication -DbUser $user -SslCa $sandbox.caFile -Region us-east-1 @keys -Verbose *>&1
            $session = @($streams | Where-Object { $_.GetType().FullName -eq 'AuroraSecurity.Sql.AuroraSqlSession' })[0]
            $session.User | Should -Be $user
            $session.TlsProtocol | Should -Match '^TLSv1\.[23]$'
            @(Get-SandboxIamDecision $sandbox) -like "* $user accepted" | Should -Not -BeNullOrEmpty -Because "the server checked the token and let $user in"
            ($streams | Out-String -Width 400) + ($session | Format-List * | Out-String -Width 400) | Should -Not -Match 'X-Amz-Signature|Action=connect'
            $session | Disconnect-AuroraMySql
        }
        finally { & mariadb --no-defaults --protocol=socket "--socket=$($sandbox.socket)" "-u$($sandbox.rootSocketUser)" -e "DROP USER IF EXISTS '$user'@'%'" }
    }

    It 'refuses IAM authentication under a mode that can fall back to plaintext, before making a token' {
        foreach ($mode in 'None', 'Preferred') {
            $null = Connect-AuroraMySql -Endpoint 127.0.0.1 -Port $sandbox.port -IamAuthentication -DbUser app -SslMode $mode -Region us-east-1 -AccessKey AKIAIOSFODNN7EXAMPLE -SecretKey wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'SqlIamAuthenticationNeedsTls*'
            $failure[0].Exception.Message | Should -Match "-SslMode $mode can fall back to plaintext"
        }
    }

    It 'says a directory given as -SslCa is a directory, not a file' {
        $null = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $TestDrive -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'SqlCaFileIsDirectory*'
        $failure[0].Exception.Message | Should -Match 'is a directory, not a file'
    }

    It 'warns when the session is not encrypted' {
        $session = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslMode None -WarningVariable warned 3>$null
        $session.Encrypted | Should -BeFalse
        $warned[0] | Should -Match 'SslMode None logs in .* without TLS'
        $warned[1] | Should -Match 'not encrypted'
        Disconnect-AuroraMySql $session
    }

    It 'never shows the password in output, verbose, debug, warnings or errors' {
        $password = $sandbox.adminPassword
        $everything = & {
            $s = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.caFile -Verbose -Debug
            $s | Format-List * | Out-String
            $s | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
            Disconnect-AuroraMySql $s -Verbose
            Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $credential -SslCa $sandbox.wrongCaFile -Verbose -ErrorAction Continue
            $bad = [pscredential]::new('admin', (ConvertTo-SecureString "$password-wrong" -AsPlainText -Force))
            Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $bad -SslCa $sandbox.caFile -Verbose -ErrorAction Continue
        } *>&1 | Out-String
        $everything | Should -Not -BeNullOrEmpty
        $everything.Contains($password) | Should -BeFalse
    }
}

Describe 'Connect-AuroraMySql -UseManagedMasterSecret (sandbox: MariaDB 10.11, not Aurora MySQL)' -Tag 'MariaDB', 'RdsDouble' {
    BeforeAll {
        $state = Get-Content (Join-Path $RepoRoot 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
        foreach ($cluster in $state.clusters | Where-Object identifier -in 'legacy', 'billing') {
            $cluster | Add-Member -Force endpointAddress $sandbox.host
            $cluster | Add-Member -Force port $sandbox.port
        }
        ($state.clusters | Where-Object identifier -eq legacy) | Add-Member -Force manageMasterUserPassword $true
        ($state.clusters | Where-Object identifier -eq billing) | Add-Member -Force manageMasterUserPassword $true
        $state.secrets = @([pscustomobject]@{ clusterIdentifier = 'legacy'; username = $sandbox.adminUser; password = $sandbox.adminPassword })
        $file = Join-Path $TestDrive 'managed-connect.json'
        $state | ConvertTo-Json -Depth 10 | Set-Content $file
        $script:Double = Start-RdsDouble -StateFile $file
        $script:Aws = Get-RdsDoubleParameters $Double
    }
    AfterAll { Stop-RdsDouble $Double }

    It 'connects to the cluster''s writer endpoint as the master user its secret names, with verified TLS' {
        $session = Connect-AuroraMySql -ClusterIdentifier legacy -UseManagedMasterSecret -SslCa $sandbox.caFile @Aws
        try {
            $session.Encrypted | Should -BeTrue
            $session.SslMode | Should -Be 'VerifyFull'
            $session.User | Should -Be $sandbox.adminUser
        }
        finally { Disconnect-AuroraMySql $session }
        $piped = Get-AuroraCluster -ClusterIdentifier legacy @Aws | Connect-AuroraMySql -UseManagedMasterSecret -SslCa $sandbox.caFile @Aws
        try { $piped.Encrypted | Should -BeTrue } finally { Disconnect-AuroraMySql $piped }
        # Every SQL cmdlet takes the same login: it connects, reads and closes its own session.
        @(Get-AuroraDbUser -ClusterIdentifier legacy -UseManagedMasterSecret -SslCa $sandbox.caFile @Aws).Count | Should -BeGreaterThan 0
    }

    It 'says why when the secret cannot be read, and never shows the password' {
        $all = Connect-AuroraMySql -ClusterIdentifier billing -UseManagedMasterSecret -SslCa $sandbox.caFile @Aws -Verbose -ErrorVariable failed -ErrorAction SilentlyContinue *>&1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SecretNotFound,*'
        "$($failed[0])" | Should -BeLike '*Secrets Manager has no secret*'
        ($all | Out-String) | Should -Not -Match ([regex]::Escape($sandbox.adminPassword))
    }
}

# Runs what the guide says: a double's cluster whose endpoint is the sandbox (MariaDB 10.11 with TLS), through the
# mariadb client and Connect-AuroraMySql.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Get-TestSandbox
    $script:Credential = New-SandboxCredential $Sandbox

    # The seed fleet plus cluster 'sandboxed': its cluster endpoint is 'localhost' and its writer's endpoint '127.0.0.1',
    # both names the sandbox certificate carries as Subject Alternative Names.
    $state = Get-Content (Join-Path $RepoRoot 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
    $state.clusters += [pscustomobject]@{
        identifier = 'sandboxed'; engine = 'aurora-mysql'; engineVersion = '8.0.mysql_aurora.3.05.2'
        clusterParameterGroup = 'secure-aurora-mysql80'; port = [int]$Sandbox.port; endpointAddress = 'localhost'
        iamDatabaseAuthenticationEnabled = $false; resourceId = 'cluster-SANDBOXED'
    }
    $state.instances += [pscustomobject]@{
        identifier = 'sandboxed-1'; clusterIdentifier = 'sandboxed'; isClusterWriter = $true
        dbParameterGroup = 'default.aurora-mysql8.0'; endpointAddress = '127.0.0.1'; resourceId = 'db-SANDBOXED1'
    }
    $script:StateFile = Join-Path ([IO.Path]::GetTempPath()) "guide-state-$PID.json"
    $state | ConvertTo-Json -Depth 20 | Set-Content $StateFile
    $script:Double = Start-RdsDouble -StateFile $StateFile
    $script:Aws = Get-RdsDoubleParameters $Double

    # Runs a command line as a POSIX shell would, the password typed on standard input (setsid: no terminal, so the
    # client's prompt reads stdin). Returns the output and the exit code.
    function Invoke-GuideCommandLine([string] $CommandLine, [string] $Password, [string] $Sql) {
        $quotedSql = "'" + $Sql.Replace("'", "'\''") + "'"
        $output = $Password | & setsid bash -c "$CommandLine --batch --skip-column-names -e $quotedSql" 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }
}

AfterAll {
    Stop-RdsDouble $Double
    Remove-Item $StateFile -ErrorAction SilentlyContinue
}

Describe 'Get-AuroraConnectionGuide' -Tag 'MariaDB', 'RdsDouble' {
    It 'writes one object per client for a cluster read from RDS' {
        $guides = Get-AuroraConnectionGuide -ClusterIdentifier sandboxed -DbUser admin -SslCa $Sandbox.caFile @Aws
        $guides.Client | Should -Be @('mysql', 'mariadb', 'MySqlConnector', 'ConnectorJ', 'mysql-connector-python', 'PyMySQL', 'Connect-AuroraMySql', 'mysql-5.6')
        $guides[0].GetType().FullName | Should -Be 'AuroraSecurity.Guide.ClientConnectionGuide'
        $guides | ForEach-Object { $_.ClusterIdentifier | Should -Be 'sandboxed' }
        ($guides | Where-Object Client -eq 'mysql').Connection | Should -BeLike '*--ssl-mode=VERIFY_IDENTITY*'
        ($guides | Where-Object Client -eq 'mysql-5.6').Endpoint | Should -Be '127.0.0.1' -Because 'a client that checks only the Common Name gets the writer instance'
        ($guides | Where-Object Client -eq 'mariadb').RequireSecureTransport | Should -BeTrue
        ($guides | Where-Object Client -eq 'mariadb').ServerCiphers | Should -Be @('ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384')
        ($guides | Where-Object Client -eq 'mariadb').InstanceCas | Should -Be 'rds-ca-rsa2048-g1'
        ($guides | Where-Object Client -eq 'mariadb').CaBundleUrl | Should -Be 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem'
    }

    It 'writes a mariadb command line that connects with TLS and verification' {
        $guide = Get-AuroraConnectionGuide -ClusterIdentifier sandboxed -DbUser admin -SslCa $Sandbox.caFile -Client mariadb @Aws
        $guide.Endpoint | Should -Be 'localhost'
        $guide.Connection | Should -BeLike "mariadb --host=localhost --port=$($Sandbox.port) --user=admin -p --ssl --ssl-verify-server-cert --ssl-ca=*"
        $result = Invoke-GuideCommandLine $guide.Connection $Sandbox.adminPassword "SHOW SESSION STATUS LIKE 'Ssl_version'"
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'Ssl_version\s+TLSv1\.[23]'
    }

    It 'writes a mariadb command line that fails against the wrong CA' {
        $guide = Get-AuroraConnectionGuide -ClusterIdentifier sandboxed -DbUser admin -SslCa $Sandbox.wrongCaFile -Client mariadb @Aws
        $result = Invoke-GuideCommandLine $guide.Connection $Sandbox.adminPassword 'SELECT 1'
        $result.ExitCode | Should -Not -Be 0
        $result.Output | Should -Match 'certificate|TLS/SSL'
    }

    It 'writes a MySqlConnector string that connects through Connect-AuroraMySql' {
        $guide = Get-AuroraConnectionGuide -ClusterIdentifier sandboxed -DbUser admin -SslCa $Sandbox.caFile -Client MySqlConnector @Aws
        $guide.Connection | Should -Be "Server=localhost;Port=$($Sandbox.port);User ID=admin;SslMode=VerifyFull;SslCa=$($Sandbox.caFile)"
        $session = Connect-AuroraMySql -ConnectionString $guide.Connection -SqlCredential $Credential -ErrorAction Stop
        try {
            $session.SslMode | Should -Be 'VerifyFull'
            $session.Encrypted | Should -BeTrue
            $session.Endpoint | Should -Be 'localhost'
        }
        finally {
            $session | Disconnect-AuroraMySql
        }
    }

    It 'writes a Connect-AuroraMySql line that connects' {
        $guide = Get-AuroraConnectionGuide -ClusterIdentifier sandboxed -DbUser admin -SslCa $Sandbox.caFile -Client Connect-AuroraMySql @Aws
        $guide.Connection | Should -BeLike '$session = Connect-AuroraMySql -Endpoint localhost *-SqlCredential (Get-Credential admin)*'
        # Get-Credential would prompt: the test answers it with the sandbox credential.
        function Get-Credential { $Credential }
        Invoke-Expression $guide.Connection
        try { $session.Encrypted | Should -BeTrue } finally { $session | Disconnect-AuroraMySql }
    }

    It 'lets dbatools users give a cluster object as -SqlInstance, which stands for its endpoint' {
        $cluster = Get-AuroraCluster -ClusterIdentifier sandboxed @Aws
        $cluster.Endpoint | Should -Be 'localhost'
        $account = Test-AuroraUserSsl -SqlInstance $cluster -Port $Sandbox.port -SqlCredential $Credential -SslCa $Sandbox.caFile -User admin
        $account.User | Should -Be 'admin'
        $session = Connect-AuroraMySql -SqlInstance $cluster -Port $Sandbox.port -SqlCredential $Credential -SslCa $Sandbox.caFile
        try { $session.Endpoint | Should -Be 'localhost' } finally { $session | Disconnect-AuroraMySql }
        { Test-AuroraUserSsl -SqlInstance ([pscustomobject]@{ Name = 'x' }) -SqlCredential $Credential -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*has no endpoint*'
    }

    It 'refuses a connection string that carries a password, without echoing it' {
        { Connect-AuroraMySql -ConnectionString 'Server=localhost;Password=hunter2' -SqlCredential $Credential -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*carries a password*'
        $error[0].ToString() | Should -Not -Match 'hunter2'
    }

    It 'never writes a secret: passwords are prompts or placeholders' {
        $guides = Get-AuroraConnectionGuide -ClusterIdentifier sandboxed -DbUser admin @Aws
        $text = $guides | ConvertTo-Json -Depth 5
        $text | Should -Not -Match ([regex]::Escape($Sandbox.adminPassword))
        $text | Should -Not -Match ([regex]::Escape($Aws.SecretKey))
    }

    It 'adds the token step and the cleartext switches with -IamAuthentication, and warns when IAM is off' {
        $guides = Get-AuroraConnectionGuide -ClusterIdentifier sandboxed -IamAuthentication -DbUser app_iam @Aws -WarningVariable warnings -WarningAction SilentlyContinue
        $mysql = $guides | Where-Object Client -eq 'mysql'
        $mysql.TokenStep | Should -Be "TOKEN=`"`$(aws rds generate-db-auth-token --hostname localhost --port $($Sandbox.port) --region us-east-1 --username app_iam)`""
        $mysql.Connection | Should -BeLike '*--password="$TOKEN" --enable-cleartext-plugin --ssl-mode=VERIFY_IDENTITY*'
        ($guides | Where-Object Client -eq 'mysql-connector-python').Connection | Should -BeLike "*auth_plugin='mysql_clear_password'*"
        "$warnings" | Should -BeLike '*IAM database authentication is off*'
    }

    It 'needs -DbUser with -IamAuthentication' {
        { Get-AuroraConnectionGuide -ClusterIdentifier sandboxed -IamAuthentication @Aws -ErrorAction Stop } | Should -Throw -ExpectedMessage '*-DbUser*'
    }

    It 'writes offline for an endpoint, taking the region from the host name' {
        $guides = Get-AuroraConnectionGuide -Endpoint orders.cluster-abc123.cn-north-1.rds.amazonaws.com.cn -Client mariadb, mysql-5.6
        $guides.Count | Should -Be 2
        $guides[0].CaBundleUrl | Should -Be 'https://rds-truststore.s3.cn-north-1.amazonaws.com.cn/cn-north-1/cn-north-1-bundle.pem'
        $guides[0].RequireSecureTransport | Should -BeNullOrEmpty
        $guides[1].Notes -join ' ' | Should -BeLike '*-WriterEndpoint*'
        (Get-AuroraConnectionGuide -Endpoint db.example.internal -Region us-gov-west-1 -Client mysql).CaBundleUrl |
            Should -Be 'https://truststore.pki.us-gov-west-1.rds.amazonaws.com/global/global-bundle.pem'
    }

    It 'reports a missing cluster as an error and carries on with the next' {
        $guides = Get-AuroraConnectionGuide -ClusterIdentifier nosuch, sandboxed -Client mysql @Aws -ErrorVariable failures -ErrorAction SilentlyContinue
        $guides.ClusterIdentifier | Should -Be 'sandboxed'
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'binds clusters from Get-AuroraCluster by property name' {
        $guides = Get-AuroraCluster -ClusterIdentifier analytics @Aws | Get-AuroraConnectionGuide -Client mysql @Aws
        $guides.ClusterIdentifier | Should -Be 'analytics'
    }

    It 'shows the client, endpoint, connection and notes at 80 and 120 columns' {
        $guide = Get-AuroraConnectionGuide -ClusterIdentifier sandboxed -DbUser admin -Client mysql @Aws
        foreach ($width in 80, 120) {
            $text = $guide | Out-String -Width $width
            $text | Should -Match 'Client\s+: MySQL 8\.0 client'
            $text | Should -Match 'Endpoint\s+: localhost:\d+ \(Cluster\)'
            $text | Should -Match 'Connection\s+: mysql --host=localhost'
            $text | Should -Match 'Notes\s+: - '
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'AccountTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:sandbox = Get-TestSandbox
    $script:Canary = 'Canary-master-Pw-' + [guid]::NewGuid().ToString('N').Substring(0, 10)

    # legacy and analytics point at the sandbox (MariaDB 10.11, not Aurora MySQL) and keep their master login in their
    # RDS-managed secrets; billing points there too and names a secret that does not exist; orders' secret is denied to
    # the caller; inventory's secret holds another shape, with a password the test must never see again.
    $state = Get-Content (Join-Path $RepoRoot 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
    $pointed = 'legacy', 'analytics', 'billing', 'orders', 'inventory'
    foreach ($cluster in $state.clusters | Where-Object identifier -in $pointed) {
        $cluster | Add-Member -Force endpointAddress $sandbox.host
        $cluster | Add-Member -Force port $sandbox.port
        $cluster | Add-Member -Force manageMasterUserPassword $true
        $cluster | Add-Member -Force masterUserSecretStatus 'active'
    }
    foreach ($instance in $state.instances | Where-Object clusterIdentifier -in $pointed) {
        $instance | Add-Member -Force endpointAddress $sandbox.host
    }
    $state.secrets = @(
        [pscustomobject]@{ clusterIdentifier = 'legacy'; username = $sandbox.adminUser; password = $sandbox.adminPassword }
        [pscustomobject]@{ clusterIdentifier = 'analytics'; username = $sandbox.adminUser; password = $sandbox.adminPassword }
        [pscustomobject]@{ clusterIdentifier = 'orders'; username = $sandbox.adminUser; password = $Canary; failure = 'AccessDeniedException' }
        [pscustomobject]@{ clusterIdentifier = 'inventory'; secretString = (@{ user = 'admin'; pass = $Canary } | ConvertTo-Json -Compress) }
    )
    $script:StateFile = Join-Path $TestDrive 'managed-secrets.json'
    $state | ConvertTo-Json -Depth 10 | Set-Content $StateFile
    $script:Double = Start-RdsDouble -StateFile $StateFile
    $script:Aws = Get-RdsDoubleParameters $Double
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Invoke-AuroraSecurityAudit -UseManagedMasterSecret (sandbox: MariaDB 10.11, not Aurora MySQL)' -Tag 'MariaDB', 'RdsDouble' {
    It 'logs in to each cluster with the login of its own managed secret and reads the SQL evidence' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, analytics -UseManagedMasterSecret -SslCa $sandbox.caFile @Aws
        $legacy = @{}; $findings | Where-Object ClusterIdentifier -eq legacy | ForEach-Object { $legacy[$_.CheckId] = $_ }
        $legacy['AURSEC-SQL-005'].Status | Should -Be 'Pass'
        $legacy['AURSEC-SQL-005'].Reason | Should -BeLike '*auditing host*'
        $legacy['AURSEC-SQL-007'].Status | Should -Be 'Fail'
        $legacy['AURSEC-SQL-007'].Reason | Should -BeLike "*'TLSv1,TLSv1.1,TLSv1.2'*'TLSv1.2,TLSv1.3'*"
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'analytics' -and $_.CheckId -eq 'AURSEC-SQL-006' }).Reason | Should -BeLike '*require_secure_transport=ON*runs OFF*'
        $findings | Where-Object CheckId -like 'AURSEC-SQL-*' | Where-Object Status -eq 'Error' | Should -BeNullOrEmpty
        $findings | Where-Object CheckId -like 'AURSEC-SQL-*' | Where-Object Reason -like 'needs -*' | Should -BeNullOrEmpty

        $reads = Get-RdsDoubleRequests $Double | Where-Object service -eq 'secretsmanager'
        @($reads | Where-Object { $_.parameters.SecretId -like '*:secret:rds!cluster-*' }).Count | Should -BeGreaterOrEqual 2
        $reads | Where-Object accessKeyId -ne $Aws.AccessKey | Should -BeNullOrEmpty
    }

    It 'never puts a secret in any stream, with -Verbose and -Debug, on success and on every kind of failure' {
        $everything = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, analytics, billing, orders, inventory -UseManagedMasterSecret -SslCa $sandbox.caFile @Aws -Verbose -Debug *>&1
        $findings = @($everything | Where-Object { $_.PSObject.TypeNames -contains 'AuroraSecurity.Audit.Finding' })
        $findings.Count | Should -Be (5 * @(Get-AuroraSecurityCheck).Count)
        # The streams were captured: the verbose line about the logins is among them.
        $everything | Where-Object { ($_ -is [System.Management.Automation.VerboseRecord] -or $_ -is [System.Management.Automation.DebugRecord]) -and $_.Message -like 'SQL logins: *RDS-managed secret*' } |
            Should -Not -BeNullOrEmpty -Because 'the audit says where the logins come from'
        $everything | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -or $_ -is [System.Management.Automation.DebugRecord] } | Where-Object Message -like 'billing:*' |
            Should -Not -BeNullOrEmpty -Because 'each cluster''s progress is in the captured streams too'
        $text = @(
            $everything | Out-String -Width 500
            $everything | ForEach-Object { $_ | Format-List * -Force | Out-String -Width 500 }
            $findings | ConvertTo-Json -Depth 5
            $Error | ForEach-Object { "$_"; $_.Exception.ToString() }
        ) -join "`n"
        $text | Should -Not -Match ([regex]::Escape($sandbox.adminPassword))
        $text | Should -Not -Match $Canary
        $text | Should -Match 'AURSEC-SQL-001'
    }

    It 'gives a cluster whose secret cannot be read Error findings for the SQL checks only, saying why' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, billing, orders, inventory -UseManagedMasterSecret -SslCa $sandbox.caFile @Aws
        $expected = @{
            billing   = '*Secrets Manager has no secret arn:aws:secretsmanager:us-east-1:*:secret:rds!cluster-*'
            orders    = '*may not read the master user secret of cluster ''orders''*secretsmanager:GetSecretValue*kms:Decrypt*'
            inventory = '*does not hold a login*its members: pass, user*'
        }
        foreach ($cluster in $expected.Keys) {
            $mine = $findings | Where-Object ClusterIdentifier -eq $cluster
            $sql = $mine | Where-Object CheckId -like 'AURSEC-SQL-*'
            @($sql).Count | Should -Be 7
            $sql.Status | Select-Object -Unique | Should -Be 'Error'
            $sql | ForEach-Object { $_.Reason | Should -BeLike $expected[$cluster] }
            $mine | Where-Object CheckId -notlike 'AURSEC-SQL-*' | Where-Object Status -eq 'Error' | Should -BeNullOrEmpty
        }
        $findings | Where-Object ClusterIdentifier -eq legacy | Where-Object Status -eq 'Error' | Should -BeNullOrEmpty
    }

    It 'takes one way to log in: not with -SqlCredential, -IamAuthentication or -DbUser' {
        $admin = New-SandboxCredential $sandbox
        { Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -UseManagedMasterSecret -SqlCredential $admin @Aws -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*-UseManagedMasterSecret reads each cluster''s master login from Secrets Manager, so leave out -SqlCredential*'
        { Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -UseManagedMasterSecret -IamAuthentication -DbUser app @Aws -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*leave out -IamAuthentication*'
        { Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -UseManagedMasterSecret -DbUser app @Aws -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*-UseManagedMasterSecret logs in as the user its secret names*'
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter UseManagedMasterSecret -Type switch
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force

    # The module's types live in its own load context, so they are told apart by type name.
    function Test-OfType($Object, [string] $Name) { $Object.psobject.TypeNames -contains $Name }

    function Split-RepairOutput($Output) {
        [pscustomobject]@{
            Changes  = @($Output | Where-Object { Test-OfType $_ 'AuroraSecurity.Clusters.AuroraTlsConfig' })
            Skipped  = @($Output | Where-Object { Test-OfType $_ 'AuroraSecurity.Repair.SkippedFinding' })
            Findings = @($Output | Where-Object { Test-OfType $_ 'AuroraSecurity.Audit.Finding' })
        }
    }

    # A finding of another check (one this version may not know), made from a real one.
    function New-TestFinding($Double, $Aws, [string] $CheckId, [string] $Status, [string] $Cluster, [string] $Recommendation = '') {
        $finding = Invoke-AuroraSecurityAudit -ClusterIdentifier $Cluster -CheckId AURSEC-TLS-001 @Aws
        $finding.CheckId = $CheckId
        $finding.Status = $Status
        $finding.Recommendation = $Recommendation
        $finding
    }
}

# Every scenario runs against both ways the double answers: full, and minimal (a terse RDS that leaves optional fields
# out, holds ModifyDBCluster settings in PendingModifiedValues and shows parameter changes late).
Describe 'Repair-AuroraSecurityFinding (<_> answers)' -ForEach 'full', 'minimal' -Tag 'RdsDouble', 'AwsCli' {
    BeforeAll {
        $script:Mode = $_
        $script:Double = Start-RdsDouble -Mode $_ -ParameterDelayMs 300
        $script:Aws = Get-RdsDoubleParameters $Double
    }

    AfterAll {
        Stop-RdsDouble $Double
    }

    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'is a Medium-impact change with -WhatIf, -Confirm and -Force that takes findings from the pipeline' {
        $command = Get-Command Repair-AuroraSecurityFinding
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'Medium'
        $command | Should -HaveParameter WhatIf
        $command | Should -HaveParameter Force
        $command | Should -HaveParameter Baseline
        $command | Should -HaveParameter CreateCustomGroup
        $command | Should -HaveParameter Finding -Mandatory
        $command.OutputType.Name | Should -Contain 'AuroraSecurity.Repair.SkippedFinding'
    }

    It '-WhatIf sends no change request, says what would change, and audits nothing again' {
        $failed = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, orders, billing @Aws | Where-Object Status -in 'Fail', 'Warning'
        $failed.CheckId | Should -Contain 'AURSEC-TLS-001'
        Clear-RdsDoubleRequests $Double
        $out = Split-RepairOutput ($failed | Repair-AuroraSecurityFinding -WhatIf @Aws)
        $out.Changes.Count | Should -BeGreaterThan 0
        $out.Changes.Change | Sort-Object -Unique | Should -Be 'WhatIf'
        $out.Findings | Should -BeNullOrEmpty
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ }).Count | Should -BeGreaterThan 0 -Because 'the log must be live for the line above to mean anything'
        Get-DoubleAwsCliParameter $Double 'legacy-aurora-mysql57' 'require_secure_transport' | Should -Not -Be '1'
    }

    It 'a dynamic fix is Applied and the re-audit shows it Pass' {
        $out = Split-RepairOutput (Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-TLS-001 @Aws | Where-Object Status -in 'Fail', 'Warning' | Repair-AuroraSecurityFinding -Force @Aws)
        $out.Changes.Count | Should -Be 1
        $out.Changes[0].ClusterIdentifier | Should -Be 'legacy'
        $out.Changes[0].Change | Should -Be 'Applied'
        $out.Changes[0].RequireSecureTransport | Should -BeTrue
        $out.Findings.CheckId | Should -Be 'AURSEC-TLS-001'
        $out.Findings[0].Status | Should -Be 'Pass'
        Get-DoubleAwsCliParameter $Double 'legacy-aurora-mysql57' 'require_secure_transport' | Should -Be '1'
    }

    It 'one ModifyDBClusterParameterGroup for a shared group carries every fix of both clusters; static ones are Pending' {
        $failed = Invoke-AuroraSecurityAudit -ClusterIdentifier orders, billing -CheckId AURSEC-TLS-001, AURSEC-TLS-002 @Aws | Where-Object Status -in 'Fail', 'Warning'
        $failed.Count | Should -Be 4
        Clear-RdsDoubleRequests $Double
        $out = Split-RepairOutput ($failed | Repair-AuroraSecurityFinding -Force @Aws)

        $modify = @(Get-DoubleMutatingRequests $Double)
        $modify.Count | Should -Be 1
        $modify[0].action | Should -Be 'ModifyDBClusterParameterGroup'
        $modify[0].parameters.DBClusterParameterGroupName | Should -Be 'shared-aurora-mysql57'
        $modify[0].parameters.'Parameters.Parameter.1.ParameterName' | Should -Be 'require_secure_transport'
        $modify[0].parameters.'Parameters.Parameter.2.ParameterName' | Should -Be 'tls_version'
        $modify[0].parameters.'Parameters.Parameter.2.ParameterValue' | Should -Be 'TLSv1.2'

        $out.Changes.ClusterIdentifier | Should -Be @('billing', 'orders')
        $out.Changes.Change | Should -Be @('Pending', 'Pending')
        $out.Changes[0].RebootRequired | Sort-Object | Should -Be @('billing-1', 'billing-2')
        # After the fix: the group holds both values, and the reboot still to do shows as a Warning of its own.
        foreach ($cluster in 'billing', 'orders') {
            $mine = $out.Findings | Where-Object ClusterIdentifier -eq $cluster
            ($mine | Where-Object CheckId -eq 'AURSEC-TLS-001').Status | Should -Be 'Pass'
            ($mine | Where-Object CheckId -eq 'AURSEC-TLS-002').Status | Should -Be 'Pass'
            ($mine | Where-Object CheckId -eq 'AURSEC-TLS-005').Status | Should -Be 'Warning'
        }
        Get-DoubleAwsCliParameter $Double 'shared-aurora-mysql57' 'tls_version' | Should -Be 'TLSv1.2'
    }

    It 'without -Force, a fix that reaches clusters not piped in waits for a confirmation this host cannot give' {
        $finding = New-TestFinding $Double $Aws 'AURSEC-TLS-004' 'Fail' 'billing'
        Clear-RdsDoubleRequests $Double
        $result = $finding | Repair-AuroraSecurityFinding -Confirm:$false @Aws -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Where-Object { Test-OfType $_ 'AuroraSecurity.Audit.Finding' } | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ConfirmationNeeded*'
        $problems[0].Exception.Message | Should -Match 'billing, orders'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'skips findings without an automatic fix, with the reason and what to do by hand' {
        $ca = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-TLS-006 @Aws | Where-Object Status -in 'Fail', 'Warning'
        $unknown = New-TestFinding $Double $Aws 'AURSEC-NET-001' 'Fail' 'orders' 'Remove 0.0.0.0/0 from the security group'
        $pass = Invoke-AuroraSecurityAudit -ClusterIdentifier analytics -CheckId AURSEC-TLS-001 @Aws
        $pass.Status | Should -Be 'Pass'
        Clear-RdsDoubleRequests $Double
        $all = @($ca, $unknown, $pass) | Repair-AuroraSecurityFinding -Force -Verbose @Aws 4>&1
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $out = Split-RepairOutput ($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        $out.Changes | Should -BeNullOrEmpty
        $out.Findings | Should -BeNullOrEmpty
        $out.Skipped.CheckId | Should -Be @('AURSEC-TLS-006', 'AURSEC-NET-001')
        $out.Skipped.Repair | Sort-Object -Unique | Should -Be 'Skipped'
        $out.Skipped[0].Reason | Should -Match 'no automatic fix'
        $out.Skipped[0].Recommendation | Should -Match 'CACertificateIdentifier'
        $out.Skipped[1].Recommendation | Should -Be 'Remove 0.0.0.0/0 from the security group'
        ($verbose.Message -join "`n") | Should -Match 'analytics AURSEC-TLS-001: status Pass, nothing to repair'
        ($out.Skipped | Format-Table | Out-String -Width 300) | Should -Match 'ClusterIdentifier\s+CheckId\s+Repair\s+Status\s+Reason'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'turns on IAM authentication (Applied, or Pending where RDS holds it) and re-audits it' {
        $out = Split-RepairOutput (Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-IAM-001 @Aws | Where-Object Status -in 'Fail', 'Warning' | Repair-AuroraSecurityFinding -Force @Aws)
        $modify = @(Get-DoubleMutatingRequests $Double | Where-Object action -eq 'ModifyDBCluster')
        $modify.Count | Should -Be 1
        $modify[0].parameters.EnableIAMDatabaseAuthentication | Should -Be 'true'
        # The minimal double holds a ModifyDBCluster setting in PendingModifiedValues for one answer: never Applied before it shows.
        $out.Changes[0].Change | Should -Be ($Mode -eq 'full' ? 'Applied' : 'Pending')
        $out.Findings.CheckId | Should -Be 'AURSEC-IAM-001'
        $out.Findings[0].Status | Should -Be 'Pass' -Because 'RDS has applied it by the time the re-audit reads the cluster'
    }

    It 'moves a cluster off its default group when its AURSEC-CFG-001 finding is piped in, with the fixes in the new group' {
        $failed = Invoke-AuroraSecurityAudit -ClusterIdentifier inventory -CheckId AURSEC-TLS-001, AURSEC-TLS-004, AURSEC-CFG-001 @Aws | Where-Object Status -in 'Fail', 'Warning'
        $failed.Count | Should -Be 3
        Clear-RdsDoubleRequests $Double
        $out = Split-RepairOutput ($failed | Repair-AuroraSecurityFinding -Force @Aws)
        (Get-DoubleMutatingRequests $Double).action | Should -Be @('CreateDBClusterParameterGroup', 'ModifyDBClusterParameterGroup', 'ModifyDBCluster')
        $out.Changes[0].ParameterGroupName | Should -Be 'inventory-aurora-mysql80'
        $out.Changes[0].Change | Should -Be 'Pending'
        ($out.Findings | Where-Object CheckId -eq 'AURSEC-CFG-001').Status | Should -Be 'Pass'
        ($out.Findings | Where-Object CheckId -eq 'AURSEC-TLS-001').Status | Should -Be 'Pass'
        ($out.Findings | Where-Object CheckId -eq 'AURSEC-TLS-005').Status | Should -Be 'Warning'
        Get-DoubleAwsCliParameter $Double 'inventory-aurora-mysql80' 'ssl_cipher' | Should -Be 'ECDHE-RSA-AES256-GCM-SHA384,ECDHE-RSA-AES128-GCM-SHA256'
    }

    It 'sets the baseline''s allowed ciphers; a finding repairs in its own region whatever -Region says' {
        $baseline = Join-Path $TestDrive 'baseline.psd1'
        Set-Content $baseline "@{ Settings = @{ AllowedCiphers = @('ECDHE-RSA-AES256-GCM-SHA384', 'DHE-RSA-AES256-GCM-SHA384') } }"
        $failed = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-TLS-003 -Baseline $baseline @Aws | Where-Object Status -in 'Fail', 'Warning'
        $failed.Count | Should -Be 1
        $elsewhere = $Aws.Clone()
        $elsewhere.Region = 'eu-west-1'
        $out = Split-RepairOutput ($failed | Repair-AuroraSecurityFinding -Baseline $baseline -Force @elsewhere)
        # 2.10.1 has no ECDHE: of the allowed ciphers, only the DHE one is set.
        Get-DoubleAwsCliParameter $Double 'legacy-aurora-mysql57' 'ssl_cipher' | Should -Be 'DHE-RSA-AES256-GCM-SHA384'
        $out.Changes[0].Change | Should -Be 'Pending'
        ($out.Findings | Where-Object CheckId -eq 'AURSEC-TLS-003').Status | Should -Be 'Pass'
    }
}

Describe 'Repair-AuroraSecurityFinding over SQL (sandbox: MariaDB 10.11, not Aurora MySQL)' -Tag 'MariaDB', 'RdsDouble' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'AccountTestHelpers.ps1')
        $script:sandbox = Get-TestSandbox
        $script:Admin = New-SandboxCredential $sandbox
        # legacy's writer endpoint is the sandbox.
        $state = Get-Content (Join-Path $RepoRoot 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
        # Its master login is also in its RDS-managed secret, for -UseManagedMasterSecret.
        foreach ($cluster in $state.clusters | Where-Object identifier -eq 'legacy') {
            $cluster | Add-Member -Force endpointAddress $sandbox.host
            $cluster | Add-Member -Force port $sandbox.port
            $cluster | Add-Member -Force manageMasterUserPassword $true
            $cluster | Add-Member -Force masterUserSecretStatus 'active'
        }
        $state | Add-Member -Force secrets @([pscustomobject]@{ clusterIdentifier = 'legacy'; username = $sandbox.adminUser; password = $sandbox.adminPassword })
        $script:StateFile = Join-Path $TestDrive 'sandbox-fleet.json'
        $state | ConvertTo-Json -Depth 10 | Set-Content $StateFile
        $script:SqlDouble = Start-RdsDouble -StateFile $StateFile
        $script:SqlAws = Get-RdsDoubleParameters $SqlDouble
        $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:Plain = "rp_plain_$Suffix"
        Invoke-RootSql "CREATE USER '$Plain'@'%' IDENTIFIED BY 'Pw-1-$Suffix';" | Out-Null
        $script:Changed = [System.Collections.Generic.List[object]]::new()
    }

    AfterAll {
        # Accounts other tests left without TLS get their requirement back, so this file changes nothing for the others.
        if ($Plain) {
            foreach ($change in $Changed | Where-Object User -ne $Plain) { Invoke-RootSql "ALTER USER '$($change.User)'@'$($change.Host)' REQUIRE NONE;" | Out-Null }
            Invoke-RootSql "DROP USER IF EXISTS '$Plain'@'%';" | Out-Null
        }
        Stop-RdsDouble $SqlDouble
    }

    It 'without -SqlCredential, accounts are skipped with what to pass' {
        $failed = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-SQL-001 -SqlCredential $Admin -SslCa $sandbox.caFile @SqlAws | Where-Object Status -eq Fail
        $failed.Reason | Should -BeLike "*'$Plain'@'%'*"
        $out = Split-RepairOutput ($failed | Repair-AuroraSecurityFinding @SqlAws)
        $out.Skipped.CheckId | Should -Be 'AURSEC-SQL-001'
        $out.Skipped[0].Reason | Should -Match '-SqlCredential'
        (Test-AuroraUserSsl -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $Admin -SslCa $sandbox.caFile -User $Plain).Compliant | Should -BeFalse
    }

    It '-WhatIf changes no account' {
        $failed = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-SQL-001 -SqlCredential $Admin -SslCa $sandbox.caFile @SqlAws | Where-Object Status -eq Fail
        $out = @($failed | Repair-AuroraSecurityFinding -SqlCredential $Admin -SslCa $sandbox.caFile -WhatIf @SqlAws)
        @($out | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Sql.Accounts.UserSslChange' }) | Should -BeNullOrEmpty
        @($out | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Audit.Finding' }) | Should -BeNullOrEmpty
        (Test-AuroraUserSsl -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $Admin -SslCa $sandbox.caFile -User $Plain).Compliant | Should -BeFalse
    }

    It 'with -SqlCredential, gives every login account without TLS REQUIRE SSL and the re-audit passes' {
        $failed = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-SQL-001 -SqlCredential $Admin -SslCa $sandbox.caFile @SqlAws | Where-Object Status -eq Fail
        $out = @($failed | Repair-AuroraSecurityFinding -SqlCredential $Admin -SslCa $sandbox.caFile -Force @SqlAws)
        $changes = @($out | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Sql.Accounts.UserSslChange' })
        foreach ($change in $changes) { $Changed.Add($change) }
        $mine = $changes | Where-Object User -eq $Plain
        $mine.SslType | Should -Be 'Any'
        $mine.PreviousSslType | Should -Be 'None'
        (Test-AuroraUserSsl -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $Admin -SslCa $sandbox.caFile -User $Plain).Compliant | Should -BeTrue
        $after = @($out | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Audit.Finding' })
        $after.CheckId | Should -Be 'AURSEC-SQL-001'
        $after[0].Status | Should -Be 'Pass'
        Get-DoubleMutatingRequests $SqlDouble | Should -BeNullOrEmpty -Because 'accounts are changed over SQL, never through RDS'
    }

    It 'with -UseManagedMasterSecret, logs in with the cluster''s managed master login, repairs and audits again the same way' {
        $user = "rp_managed_$Suffix"
        Invoke-RootSql "CREATE USER '$user'@'%' IDENTIFIED BY 'Pw-2-$Suffix';" | Out-Null
        try {
            $failed = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-SQL-001 -UseManagedMasterSecret -SslCa $sandbox.caFile @SqlAws | Where-Object Status -eq Fail
            $failed.Reason | Should -BeLike "*'$user'@'%'*"
            $out = @($failed | Repair-AuroraSecurityFinding -UseManagedMasterSecret -SslCa $sandbox.caFile -Force @SqlAws *>&1)
            $out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
            $changes = @($out | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Sql.Accounts.UserSslChange' })
            # Other accounts the repair changed get their old requirement back at the end; this one is dropped.
            foreach ($change in $changes | Where-Object User -ne $user) { $Changed.Add($change) }
            ($changes | Where-Object User -eq $user).SslType | Should -Be 'Any'
            (Test-AuroraUserSsl -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $Admin -SslCa $sandbox.caFile -User $user).Compliant | Should -BeTrue
            $after = @($out | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Audit.Finding' })
            $after.CheckId | Should -Be 'AURSEC-SQL-001'
            $after[0].Status | Should -Be 'Pass'
            # The secret was read by the audit, the repair and the re-audit, and its password is in no stream.
            @(Get-RdsDoubleRequests $SqlDouble | Where-Object service -eq 'secretsmanager').Count | Should -BeGreaterOrEqual 3
            ($out | Out-String) | Should -Not -Match ([regex]::Escape($sandbox.adminPassword))
        }
        finally {
            Invoke-RootSql "DROP USER IF EXISTS '$user'@'%';" | Out-Null
        }
    }

    It 'skips the accounts of a cluster that -SqlCredential''s hashtable has no login for, and changes none' {
        $user = "rp_table_$Suffix"
        Invoke-RootSql "CREATE USER '$user'@'%' IDENTIFIED BY 'Pw-3-$Suffix';" | Out-Null
        try {
            $failed = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-SQL-001 -SqlCredential @{ legacy = $Admin } -SslCa $sandbox.caFile @SqlAws | Where-Object Status -eq Fail
            $failed.Reason | Should -BeLike "*'$user'@'%'*"
            $out = Split-RepairOutput ($failed | Repair-AuroraSecurityFinding -SqlCredential @{ orders = $Admin } -SslCa $sandbox.caFile -Force @SqlAws)
            $out.Skipped.CheckId | Should -Be 'AURSEC-SQL-001'
            $out.Skipped[0].Reason | Should -BeLike "*no entry for 'legacy'*"
            (Test-AuroraUserSsl -Endpoint $sandbox.host -Port $sandbox.port -SqlCredential $Admin -SslCa $sandbox.caFile -User $user).Compliant | Should -BeFalse
        }
        finally {
            Invoke-RootSql "DROP USER IF EXISTS '$user'@'%';" | Out-Null
        }
    }

    It 'refuses two ways to log in at once, before any request' -ForEach @(
        @{ Login = @{ IamAuthentication = $true; DbUser = 'auditor' }; Message = '*either -SqlCredential or -IamAuthentication*' }
        @{ Login = @{ UseManagedMasterSecret = $true }; Message = '*-UseManagedMasterSecret*leave out -SqlCredential*' }
    ) {
        $finding = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-SQL-001 -SqlCredential $Admin -SslCa $sandbox.caFile @SqlAws | Select-Object -First 1
        $before = @(Get-RdsDoubleRequests $SqlDouble).Count
        { $finding | Repair-AuroraSecurityFinding -SqlCredential $Admin @Login -Force @SqlAws } | Should -Throw -ExpectedMessage $Message
        @(Get-RdsDoubleRequests $SqlDouble).Count | Should -Be $before
    }
}

# With -RoleArn the account is known: a finding of another account is an error for that finding and is never repaired in the role's account,
# even where that account has a cluster of the same name.
Describe 'Repair-AuroraSecurityFinding -RoleArn' -Tag 'RdsDouble' {
    BeforeAll {
        $script:Double = Start-RdsDouble
        $script:Keys = @{ AccessKey = $Double.AccessKey; SecretKey = $Double.SecretKey; Region = 'us-east-1' }
        $script:Saved = @{}
        foreach ($service in 'STS', 'RDS', 'EC2') {
            $Saved[$service] = [Environment]::GetEnvironmentVariable("AWS_ENDPOINT_URL_$service")
            Set-ProcessVariable "AWS_ENDPOINT_URL_$service" $Double.Endpoint
        }
        $script:First = 'arn:aws:iam::111111111111:role/Repairer'
        $script:Second = 'arn:aws:iam::333333333333:role/Repairer'
    }
    AfterAll {
        foreach ($service in 'STS', 'RDS', 'EC2') { Set-ProcessVariable "AWS_ENDPOINT_URL_$service" $Saved[$service] }
        Stop-RdsDouble $Double
    }

    It 'repairs the findings of the role''s account and refuses each finding of another account, naming both accounts' {
        $failed = @(Invoke-AuroraSecurityAudit -RoleArn $First, $Second -ClusterIdentifier orders, legacy -CheckId AURSEC-TLS-001 @Keys | Where-Object Status -eq Fail)
        ($failed.AccountId | Sort-Object -Unique) | Should -Be @('111111111111', '333333333333')
        $theirs = @($failed | Where-Object AccountId -eq '111111111111')
        Clear-RdsDoubleRequests $Double

        $out = @($failed | Repair-AuroraSecurityFinding -RoleArn $Second -Force @Keys -ErrorVariable refused -ErrorAction SilentlyContinue)

        @($refused).Count | Should -Be $theirs.Count
        foreach ($record in $refused) {
            $record.FullyQualifiedErrorId | Should -BeLike 'FindingAccountMismatch,*'
            $record.Exception.Message | Should -Match 'this finding is from account 111111111111; the role is in account 333333333333'
            $record.Exception.Message | Should -Match 'pipe each account''s findings with its own -RoleArn'
            $record.TargetObject.AccountId | Should -Be '111111111111'
        }
        $changes = @(Get-DoubleMutatingRequests $Double)
        $changes.Count | Should -BeGreaterThan 0 -Because 'the role''s own account is repaired'
        $changes | ForEach-Object { $_.accountId | Should -Be '333333333333' }
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object { $_.service -eq 'rds' -and $_.accountId -eq '111111111111' }).Count | Should -Be 0
        ($out | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Audit.Finding' }).AccountId | Sort-Object -Unique | Should -Be '333333333333'
    }

    It 'sends nothing when every finding is from another account' {
        $failed = @(Invoke-AuroraSecurityAudit -RoleArn $First -ClusterIdentifier orders -CheckId AURSEC-TLS-001 @Keys | Where-Object Status -eq Fail)
        $failed.Count | Should -BeGreaterThan 0
        Clear-RdsDoubleRequests $Double
        $null = $failed | Repair-AuroraSecurityFinding -RoleArn $Second -Force @Keys -ErrorVariable refused -ErrorAction SilentlyContinue
        @($refused).Count | Should -Be $failed.Count
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object service -eq 'rds').Count | Should -Be 0
    }
}

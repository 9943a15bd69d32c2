BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
    $script:CheckCount = @(Get-AuroraSecurityCheck).Count

    # Runs the shipped compliance pack in a child PowerShell (a Pester run cannot host another in-process) and
    # returns one object per test: Name ('<cluster> <CheckId> <Title>', or '<Describe> runs the audit'), Cluster,
    # Result, Message, Display (Pester's message), Tags. NUnitFile/NUnitFormat in $Data also write Pester's XML report.
    function Invoke-CompliancePack([hashtable] $Data) {
        $pack = Join-Path (Split-Path $ModuleManifest) 'compliance/AuroraSecurity.Compliance.Tests.ps1'
        $dataFile = Join-Path ([IO.Path]::GetTempPath()) "aurora-pack-$([guid]::NewGuid()).json"
        $Data | ConvertTo-Json -Depth 5 | Set-Content $dataFile
        $child = @'
param($PesterManifest, $ModuleManifest, $Pack, $DataFile)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest
Import-Module $ModuleManifest
$raw = Get-Content $DataFile -Raw | ConvertFrom-Json
if ($raw.NoAmbientRegion) {
    foreach ($name in 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE') { Remove-Item "env:$name" -ErrorAction SilentlyContinue }
    $env:AWS_CONFIG_FILE = Join-Path ([IO.Path]::GetTempPath()) "no-such-aws-config-$PID"
}
$data = @{ AwsParameters = @{} }
if ($raw.ClusterIdentifier) { $data.ClusterIdentifier = [string[]]$raw.ClusterIdentifier }
if ($raw.Baseline) { $data.Baseline = [string]$raw.Baseline }
foreach ($p in $raw.AwsParameters.PSObject.Properties) { $data.AwsParameters[$p.Name] = $p.Value }
if ($raw.SqlUser) { $data.SqlCredential = [pscredential]::new($raw.SqlUser, (ConvertTo-SecureString $raw.SqlPassword -AsPlainText -Force)) }
foreach ($name in 'SslCa', 'ProbeEndpoint', 'MinimumSeverity', 'DbUser', 'UseManagedMasterSecret') { if ($null -ne $raw.$name) { $data[$name] = $raw.$name } }
foreach ($name in 'CheckId', 'ExcludeCheckId') { if ($null -ne $raw.$name) { $data[$name] = [string[]]$raw.$name } }
$config = New-PesterConfiguration
$config.Run.Container = New-PesterContainer -Path $Pack -Data $data
$config.Run.PassThru = $true
$config.Output.Verbosity = 'None'
if ($raw.NUnitFile) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = $raw.NUnitFile
    $config.TestResult.OutputFormat = $raw.NUnitFormat
}
$run = Invoke-Pester -Configuration $config
$run.Tests | ForEach-Object {
    [pscustomobject]@{
        Name = "$($_.Block.ExpandedName) $($_.ExpandedName)"; Cluster = $_.Block.ExpandedName; Result = [string]$_.Result
        Message = [string]$_.ErrorRecord.Exception.Message; Display = [string]$_.ErrorRecord.DisplayErrorMessage; Tags = @($_.Tag)
    }
} | ConvertTo-Json -Depth 3 -AsArray
'@
        $script = Join-Path ([IO.Path]::GetTempPath()) "aurora-pack-$([guid]::NewGuid()).ps1"
        Set-Content $script $child
        try {
            $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
            $arguments = @('-NoProfile', '-NonInteractive', '-File', $script, (Get-Module Pester).Path, $ModuleManifest, $pack, $dataFile)
            $output = if (Test-Path $pwsh) { & $pwsh @arguments } else { & dotnet (Join-Path $PSHOME 'pwsh.dll') @arguments }
            ($output -join "`n") | ConvertFrom-Json
        }
        finally {
            Remove-Item $script, $dataFile -ErrorAction SilentlyContinue
        }
    }
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Invoke-AuroraSecurityAudit' -Tag 'RdsDouble' {
    It 'says with -Verbose what it reads for which checks, and each cluster as it goes' {
        $said = @(Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-TLS-001, AURSEC-TLS-005 @Aws -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $said | Should -Contain '1 cluster(s) to audit in us-east-1 with 2 check(s).'
        $said | Should -Contain 'Reads the TLS settings of each cluster parameter group (DescribeDBClusterParameters) for AURSEC-TLS-001.'
        $said | Should -Contain "Reads each cluster's settings (DescribeDBClusters) for AURSEC-TLS-005."
        $said | Should -Contain 'legacy: reading the parameter group and instances (RDS).'
        $said | Should -Contain 'legacy: audited (2 findings).'
    }

    It 'returns one finding per check for every Aurora MySQL cluster of the region' {
        $findings = Invoke-AuroraSecurityAudit @Aws
        $findings.Count | Should -Be (5 * $CheckCount)
        $findings[0].GetType().FullName | Should -Be 'AuroraSecurity.Audit.Finding'
        $findings | Group-Object ClusterIdentifier, CheckId | Where-Object Count -ne 1 | Should -BeNullOrEmpty
        # Each cluster's findings come as it completes: clusters in completion order, checks in catalogue order within each.
        ($findings.ClusterIdentifier | Select-Object -Unique | Sort-Object) | Should -Be @('analytics', 'billing', 'inventory', 'legacy', 'orders')
        foreach ($cluster in $findings | Group-Object ClusterIdentifier) { $cluster.Group.CheckId | Should -Be (Get-AuroraSecurityCheck).Id }
        $findings | Where-Object ClusterIdentifier -eq analytics | Where-Object Status -ne Pass | Where-Object Reason -notlike 'needs -*' | Should -BeNullOrEmpty
        $tls = $findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-001' }
        $tls.Status | Should -Be 'Fail'
        $tls.Severity | Should -Be 'High'
        $tls.Recommendation | Should -Be 'Enable-AuroraSecureTransport -ClusterIdentifier legacy'
        $tls.Timestamp.Offset | Should -Be ([timespan]::Zero)
    }

    It 'shows Status, Severity, ClusterIdentifier, CheckId and Reason in a table' {
        $text = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-TLS-002 @Aws | Out-String -Width 200
        $text | Should -Match 'Status\s+Severity\s+ClusterIdentifier\s+CheckId\s+Reason'
        $text | Should -Match 'Fail\s+Medium\s+legacy\s+AURSEC-TLS-002\s+\S'
    }

    It 'round-trips findings through Export-Csv and ConvertTo-Json' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, analytics @Aws
        $csv = Join-Path $TestDrive 'findings.csv'
        $findings | Export-Csv $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows.Count | Should -Be $findings.Count
        $rows[0].PSObject.Properties.Name | Should -Contain 'Reason'
        $rows[0].Timestamp | Should -Match '[+-]\d\d:\d\d$' -Because 'a date in a CSV says its zone'
        ($rows | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-006' }).Status | Should -Be 'Fail'
        ($rows | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-006' }).Reason | Should -Match 'rds-ca-2019'

        $json = $findings | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json
        $json.Count | Should -Be $findings.Count
        $back = $json | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-002' }
        $back.Status | Should -Be 'Fail'
        $back.Severity | Should -Be 'Medium'
        $back.Recommendation | Should -Be 'Set-AuroraTlsVersion -ClusterIdentifier legacy -MinimumTlsVersion TLSv1.2'
        $back.DBClusterArn | Should -Be 'arn:aws:rds:us-east-1:123456789012:cluster:legacy'
        ([datetimeoffset]$back.Timestamp).UtcDateTime | Should -Be ($findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-002' }).Timestamp.UtcDateTime
    }

    It 'takes clusters from Get-AuroraCluster, from strings and from objects with DBClusterArn' {
        $fromCluster = Get-AuroraCluster -ClusterIdentifier orders @Aws | Invoke-AuroraSecurityAudit @Aws
        $fromCluster.Count | Should -Be $CheckCount
        ($fromCluster.ClusterIdentifier | Select-Object -Unique) | Should -Be 'orders'
        ('legacy', 'analytics' | Invoke-AuroraSecurityAudit -CheckId AURSEC-ENC-001 @Aws).ClusterIdentifier | Should -Be @('legacy', 'analytics')
        ([pscustomobject]@{ DBClusterArn = 'arn:aws:rds:us-east-1:123456789012:cluster:billing' } | Invoke-AuroraSecurityAudit -CheckId AURSEC-IAM-001 @Aws).Status | Should -Be 'Fail'
    }

    It 'runs only the checks asked for' {
        $findings = Invoke-AuroraSecurityAudit -CheckId AURSEC-IAM-001, aursec-enc-001 @Aws
        $findings.Count | Should -Be 10
        ($findings.CheckId | Select-Object -Unique) | Should -Be @('AURSEC-IAM-001', 'AURSEC-ENC-001')
    }

    It 'stops on an unknown check id and names the valid ones' {
        { Invoke-AuroraSecurityAudit -CheckId AURSEC-NOPE-001 @Aws } | Should -Throw -ExpectedMessage '*AURSEC-TLS-001*'
    }

    It 'reports a cluster it cannot find as an error and audits the others' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier nope, analytics @Aws -ErrorAction SilentlyContinue -ErrorVariable problems
        $findings.Count | Should -Be $CheckCount
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ClusterNotFound*'
        $problems[0].TargetObject | Should -Be 'nope'
    }

    It 'audits nothing for an empty pipeline' {
        @() | Invoke-AuroraSecurityAudit @Aws | Should -BeNullOrEmpty
    }

    It 'finds the control-plane problems of the seed fleet, naming the resource' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier billing, legacy @Aws
        $open = $findings | Where-Object { $_.ClusterIdentifier -eq 'billing' -and $_.CheckId -eq 'AURSEC-NET-002' }
        $open.Status | Should -Be 'Fail'
        $open.Reason | Should -Match 'sg-0b1111b1111b1111b \(billing-vendor-access\): tcp 3300-3310 from 0\.0\.0\.0/0'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'billing' -and $_.CheckId -eq 'AURSEC-ENC-003' }).Reason | Should -Match 'billing-month-end'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'billing' -and $_.CheckId -eq 'AURSEC-TLS-008' }).Recommendation | Should -Be 'Edit-RDSDBProxy -DBProxyName billing-proxy -RequireTLS $true'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-007' }).Reason | Should -Match 'rds-ca-2019, retired by AWS'
        ($findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-NET-003' }).Status | Should -Be 'Warning'
    }

    It 'takes the backup retention threshold as a parameter' {
        (Invoke-AuroraSecurityAudit -ClusterIdentifier orders -CheckId AURSEC-BAK-002 @Aws).Status | Should -Be 'Pass'
        $strict = Invoke-AuroraSecurityAudit -ClusterIdentifier orders -CheckId AURSEC-BAK-002 -MinimumBackupRetentionDays 10 @Aws
        $strict.Status | Should -Be 'Fail'
        $strict.Reason | Should -Match 'fewer than 10'
        $strict.Recommendation | Should -Match '-BackupRetentionPeriod 10'
    }

    It 'has the parameters of a read-only fleet cmdlet' {
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter ClusterIdentifier -Type 'string[]'
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter CheckId -Type 'string[]'
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter ThrottleLimit -Type int
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter MinimumBackupRetentionDays -Type int
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter EndpointUrl
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter SqlCredential -Type object
        (Get-Command Invoke-AuroraSecurityAudit).Parameters['SslMode'].ParameterType.Name | Should -Be 'SqlSslMode'
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter ProbeEndpoint -Type switch
        Get-Command Invoke-AuroraSecurityAudit | Should -HaveParameter IamAuthentication -Type switch
        (Get-Command Invoke-AuroraSecurityAudit).Parameters.Keys | Should -Not -Contain 'WhatIf'
    }
}

Describe 'Invoke-AuroraSecurityAudit with SQL and endpoint evidence (sandbox: MariaDB 10.11, not Aurora MySQL)' -Tag 'MariaDB', 'RdsDouble' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'AccountTestHelpers.ps1')
        $script:sandbox = Get-TestSandbox
        $script:Admin = New-SandboxCredential $sandbox
        # legacy (group: tls_version TLSv1,TLSv1.1,TLSv1.2) and analytics (group: require_secure_transport ON) point at the sandbox,
        # which runs require_secure_transport OFF and TLSv1.2,TLSv1.3: drift on both.
        $state = Get-Content (Join-Path $RepoRoot 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
        foreach ($cluster in $state.clusters | Where-Object identifier -in 'legacy', 'analytics') {
            $cluster | Add-Member -Force endpointAddress $sandbox.host
            $cluster | Add-Member -Force port $sandbox.port
        }
        foreach ($instance in $state.instances | Where-Object clusterIdentifier -in 'legacy', 'analytics') {
            $instance | Add-Member -Force endpointAddress $sandbox.host
        }
        $script:StateFile = Join-Path $TestDrive 'sandbox-fleet.json'
        $state | ConvertTo-Json -Depth 10 | Set-Content $StateFile
        $script:SandboxDouble = Start-RdsDouble -StateFile $StateFile
        $script:SandboxAws = Get-RdsDoubleParameters $SandboxDouble

        $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
        Invoke-RootSql ("CREATE USER 'pa_plain_$Suffix'@'%' IDENTIFIED BY 'Pw-1-$Suffix';" +
            "CREATE USER 'pa_admin_$Suffix'@'10.9.%' IDENTIFIED BY 'Pw-2-$Suffix' REQUIRE SSL; GRANT SUPER ON *.* TO 'pa_admin_$Suffix'@'10.9.%';" +
            "CREATE USER ''@'198.51.100.7';") | Out-Null
    }

    AfterAll {
        Invoke-RootSql "DROP USER IF EXISTS 'pa_plain_$Suffix'@'%', 'pa_admin_$Suffix'@'10.9.%', ''@'198.51.100.7';" | Out-Null
        Stop-RdsDouble $SandboxDouble
    }

    It 'finds accounts without TLS, anonymous, from any host and extra administrators, and drift from the group' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, analytics -SqlCredential $Admin -SslCa $sandbox.caFile @SandboxAws
        $legacy = @{}; $findings | Where-Object ClusterIdentifier -eq legacy | ForEach-Object { $legacy[$_.CheckId] = $_ }
        $legacy['AURSEC-SQL-001'].Status | Should -Be 'Fail'
        $legacy['AURSEC-SQL-001'].Reason | Should -BeLike "*'pa_plain_$Suffix'@'%'*"
        $legacy['AURSEC-SQL-002'].Reason | Should -BeLike "*''@'198.51.100.7'*"
        $legacy['AURSEC-SQL-003'].Reason | Should -BeLike "*'pa_plain_$Suffix'@'%'*"
        $legacy['AURSEC-SQL-004'].Reason | Should -BeLike "*'pa_admin_$Suffix'@'10.9.%' (SUPER)*"
        $legacy['AURSEC-SQL-005'].Status | Should -Be 'Pass'
        $legacy['AURSEC-SQL-007'].Status | Should -Be 'Fail'
        $legacy['AURSEC-SQL-007'].Reason | Should -BeLike "*'TLSv1,TLSv1.1,TLSv1.2'*'TLSv1.2,TLSv1.3'*"
        $drift = $findings | Where-Object { $_.ClusterIdentifier -eq 'analytics' -and $_.CheckId -eq 'AURSEC-SQL-006' }
        $drift.Status | Should -Be 'Fail'
        $drift.Reason | Should -BeLike '*require_secure_transport=ON*runs OFF*Likely cause*'
        ($findings | Where-Object CheckId -like 'AURSEC-PRB-*').Reason | Select-Object -Unique | Should -Be 'needs -ProbeEndpoint: the audit did not probe the endpoints.'
    }

    It 'takes the credential per cluster from a hashtable or a script block' {
        $fromTable = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, analytics -CheckId AURSEC-SQL-002 -SqlCredential @{ legacy = $Admin } -SslCa $sandbox.caFile @SandboxAws
        ($fromTable | Where-Object ClusterIdentifier -eq legacy).Status | Should -Be 'Fail'
        ($fromTable | Where-Object ClusterIdentifier -eq analytics).Status | Should -Be 'NotApplicable'
        ($fromTable | Where-Object ClusterIdentifier -eq analytics).Reason | Should -BeLike "needs -SqlCredential: the hashtable given has no entry for 'analytics'*"

        $seen = [System.Collections.Generic.List[string]]::new()
        $fromScript = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, analytics -CheckId AURSEC-SQL-002 -SslCa $sandbox.caFile @SandboxAws -SqlCredential {
            $seen.Add("$($_.ClusterIdentifier)@$($_.Endpoint):$($_.Port)")
            if ($_.ClusterIdentifier -eq 'analytics') { throw 'the vault is locked' }
            $Admin
        }
        $seen | Should -Be @("legacy@$($sandbox.host):$($sandbox.port)", "analytics@$($sandbox.host):$($sandbox.port)")
        ($fromScript | Where-Object ClusterIdentifier -eq legacy).Status | Should -Be 'Fail'
        ($fromScript | Where-Object ClusterIdentifier -eq analytics).Status | Should -Be 'Error'
        ($fromScript | Where-Object ClusterIdentifier -eq analytics).Reason | Should -BeLike '*script block failed*the vault is locked*'
    }

    It 'logs in with -IamAuthentication -DbUser: a token per cluster, checked by the server, never shown' {
        # The sandbox's PAM service stands in for Aurora's AWSAuthenticationPlugin and checks the token's signature.
        $user = "pa_iam_$Suffix"
        New-SandboxIamUser $sandbox -User $user -AccessKey $SandboxAws.AccessKey -SecretKey $SandboxAws.SecretKey -Grant 'SELECT ON mysql.*', 'PROCESS ON *.*'
        try {
            $streams = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, analytics -IamAuthentication -DbUser $user -SslCa $sandbox.caFile @SandboxAws -Verbose *>&1
            $findings = @($streams | Where-Object { $_.GetType().FullName -eq 'AuroraSecurity.Audit.Finding' })
            $sql = @($findings | Where-Object CheckId -like 'AURSEC-SQL-*')
            $sql.Count | Should -Be 14
            $sql | Where-Object { $_.Status -eq 'Error' -or $_.Reason -like 'needs -*' } | Should -BeNullOrEmpty -Because 'every cluster was logged in to'
            ($sql | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-SQL-002' }).Reason | Should -BeLike "*''@'198.51.100.7'*"
            @(Get-SandboxIamDecision $sandbox | Where-Object { $_ -like "* $user accepted" }).Count | Should -Be 2 -Because 'one login per cluster, each with a token the server accepted'
            ($streams | Out-String -Width 400) | Should -Not -Match 'X-Amz-Signature|Action=connect'
        }
        finally { Invoke-RootSql "DROP USER IF EXISTS '$user'@'%';" | Out-Null }
    }

    It 'reports a token the server refuses as Error findings for the SQL checks only' {
        $user = "pa_iamx_$Suffix"
        New-SandboxIamUser $sandbox -User $user -AccessKey $SandboxAws.AccessKey -SecretKey 'a-secret-the-double-does-not-use' -Grant 'PROCESS ON *.*'
        try {
            $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -IamAuthentication -DbUser $user -SslCa $sandbox.caFile @SandboxAws
            $sql = @($findings | Where-Object CheckId -like 'AURSEC-SQL-*')
            $sql.Status | Select-Object -Unique | Should -Be 'Error'
            $sql[0].Reason | Should -BeLike '*1045*'
            $findings | Where-Object CheckId -notlike 'AURSEC-SQL-*' | Where-Object Status -eq 'Error' | Should -BeNullOrEmpty
            @(Get-SandboxIamDecision $sandbox | Where-Object { $_ -like "* $user refused: signature does not match" }).Count | Should -BeGreaterThan 0
        }
        finally { Invoke-RootSql "DROP USER IF EXISTS '$user'@'%';" | Out-Null }
    }

    It 'reports a refused login as Error findings for the SQL checks only, without the password' {
        $wrong = [pscredential]::new($sandbox.adminUser, (ConvertTo-SecureString 'Wrong-Pw-9' -AsPlainText -Force))
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -SqlCredential $wrong -SslCa $sandbox.caFile @SandboxAws
        $sql = $findings | Where-Object CheckId -like 'AURSEC-SQL-*'
        $sql.Status | Select-Object -Unique | Should -Be 'Error'
        $sql[0].Reason | Should -BeLike '*1045*'
        ($findings | Out-String) | Should -Not -Match 'Wrong-Pw-9'
        $findings | Where-Object CheckId -notlike 'AURSEC-SQL-*' | Where-Object Status -eq 'Error' | Should -BeNullOrEmpty
    }

    It 'verifies the server by default: an untrusted CA is an Error, never a silent downgrade' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-SQL-001 -SqlCredential $Admin -SslCa $sandbox.wrongCaFile @SandboxAws
        $findings.Status | Should -Be 'Error'
        $findings.Reason | Should -Match 'certificate'
        $lowered = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-SQL-001 -SqlCredential $Admin -SslMode Required @SandboxAws -WarningVariable warned 3>$null
        $lowered.Status | Should -Be 'Fail'
        $warned | Should -BeLike '*-SslMode Required*'
    }

    It 'probes the cluster and instance endpoints and finds what the group excludes' {
        $findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy -CheckId AURSEC-PRB-001, AURSEC-PRB-003 -ProbeEndpoint @SandboxAws
        $old = $findings | Where-Object CheckId -eq AURSEC-PRB-001
        $old.Status | Should -BeIn @('Pass', 'Warning')
        if ($old.Status -eq 'Warning') { $old.Reason | Should -BeLike '*limit of the probing client*' }
        $drift = $findings | Where-Object CheckId -eq AURSEC-PRB-003
        $drift.Status | Should -Be 'Fail'
        $drift.Reason | Should -BeLike "*$($sandbox.host):$($sandbox.port) accepted TLSv1.3, which tls_version 'TLSv1,TLSv1.1,TLSv1.2' leaves out*"
    }

    It 'writes each cluster''s findings as it completes and shows progress only where progress is shown' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Aws)
                    Import-Module $Manifest
                    $ProgressPreference = 'Continue'
                    Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, analytics, orders @Aws
                }).AddArgument($ModuleManifest).AddArgument($SandboxAws)
            $out = $ps.Invoke()
            $out.Count | Should -Be (3 * $CheckCount)
            $ps.Streams.Progress.Count | Should -BeGreaterThan 3
            ($ps.Streams.Progress | Where-Object StatusDescription -like '3 of 3 clusters audited').Count | Should -BeGreaterThan 0
            ($ps.Streams.Progress.CurrentOperation | Where-Object { $_ -like '*(RDS)*' }).Count | Should -BeGreaterThan 0
            foreach ($cluster in 'legacy', 'analytics', 'orders') {
                ($out | Where-Object ClusterIdentifier -eq $cluster).CheckId | Should -Be (Get-AuroraSecurityCheck).Id
            }
        }
        finally { $ps.Dispose() }

        $quiet = [powershell]::Create()
        try {
            $null = $quiet.AddScript({
                    param($Manifest, $Aws)
                    Import-Module $Manifest
                    $ProgressPreference = 'SilentlyContinue'
                    Invoke-AuroraSecurityAudit -ClusterIdentifier legacy @Aws
                }).AddArgument($ModuleManifest).AddArgument($SandboxAws)
            $quiet.Invoke().Count | Should -Be $CheckCount
            $quiet.Streams.Progress.Count | Should -Be 0
        }
        finally { $quiet.Dispose() }
    }

    It 'stops within a second when the pipeline is stopped, and sends nothing after' {
        $slow = Start-RdsDouble -LatencyMs 500
        try {
            $aws = Get-RdsDoubleParameters $slow
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($Manifest, $Aws)
                    Import-Module $Manifest
                    Invoke-AuroraSecurityAudit -ThrottleLimit 2 @Aws
                }).AddArgument($ModuleManifest).AddArgument($aws)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = (Get-Date).AddSeconds(30)
            while ($output.Count -eq 0 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $output.Count | Should -BeGreaterThan 0 -Because 'the first cluster''s findings are written before the others are done'
            $output.Count | Should -BeLessThan (5 * $CheckCount)

            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $clock.Elapsed.TotalMilliseconds | Should -BeLessThan 1000
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Dispose()

            $requests = @(Get-RdsDoubleRequests $slow).Count
            Start-Sleep -Milliseconds 1500
            @(Get-RdsDoubleRequests $slow).Count | Should -Be $requests -Because 'no RDS request is sent after the stop'
        }
        finally { Stop-RdsDouble $slow }
    }
}

Describe 'Invoke-AuroraSecurityAudit compliance pack' -Tag 'RdsDouble' {
    It 'ships in the module folder' {
        Join-Path (Split-Path $ModuleManifest) 'compliance/AuroraSecurity.Compliance.Tests.ps1' | Should -Exist
    }

    It 'fails the tests of legacy''s failing checks and passes analytics'' checks' {
        $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('legacy', 'analytics'); AwsParameters = $Aws })
        $tests.Count | Should -Be (2 * $CheckCount)
        $legacyTransport = $tests | Where-Object Name -eq 'legacy AURSEC-TLS-001 Connections must use TLS (require_secure_transport)'
        $legacyTransport.Result | Should -Be 'Failed'
        $legacyTransport.Message | Should -Match 'require_secure_transport is OFF'
        $legacyTransport.Message | Should -Match 'Recommendation: Enable-AuroraSecureTransport -ClusterIdentifier legacy'
        foreach ($check in 'AURSEC-TLS-002', 'AURSEC-TLS-003', 'AURSEC-TLS-006', 'AURSEC-IAM-001') {
            ($tests | Where-Object Name -like "legacy $check *").Result | Should -Be 'Failed' -Because $check
        }
        ($tests | Where-Object Name -like 'legacy AURSEC-TLS-004 *').Result | Should -Be 'Skipped' -Because 'DHE is not a finding where ECDHE does not exist'
        ($tests | Where-Object Name -like 'legacy AURSEC-ENC-001 *').Result | Should -Be 'Passed'
        $tests | Where-Object Name -like 'analytics *' | Where-Object Result -ne 'Passed' | Where-Object Name -notmatch 'AURSEC-(SQL|PRB)-' | Should -BeNullOrEmpty
        $tests | Where-Object Name -match '^analytics AURSEC-(SQL|PRB)-' | Where-Object Result -ne 'Skipped' | Should -BeNullOrEmpty
    }

    It 'passes -SqlCredential and -ProbeEndpoint through to the audit' {
        $sandbox = Get-TestSandbox
        $state = Get-Content (Join-Path $RepoRoot 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
        $legacy = $state.clusters | Where-Object identifier -eq legacy
        $legacy | Add-Member -Force endpointAddress $sandbox.host
        $legacy | Add-Member -Force port $sandbox.port
        foreach ($instance in $state.instances | Where-Object clusterIdentifier -eq legacy) { $instance | Add-Member -Force endpointAddress $sandbox.host }
        $file = Join-Path $TestDrive 'pack-fleet.json'
        $state | ConvertTo-Json -Depth 10 | Set-Content $file
        $double = Start-RdsDouble -StateFile $file
        try {
            $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('legacy'); AwsParameters = (Get-RdsDoubleParameters $double); SqlUser = $sandbox.adminUser; SqlPassword = $sandbox.adminPassword; SslCa = $sandbox.caFile; ProbeEndpoint = $true })
            ($tests | Where-Object Name -like 'legacy AURSEC-SQL-007 *').Result | Should -Be 'Failed'
            ($tests | Where-Object Name -like 'legacy AURSEC-SQL-007 *').Message | Should -BeLike '*Drift*'
            ($tests | Where-Object Name -like 'legacy AURSEC-PRB-003 *').Result | Should -Be 'Failed'
            $tests | Where-Object Message -like '*needs -*' | Should -BeNullOrEmpty
        }
        finally { Stop-RdsDouble $double }
    }

    It 'logs in with IAM database authentication when given DbUser, with no password anywhere' {
        $sandbox = Get-TestSandbox
        $state = Get-Content (Join-Path $RepoRoot 'tests/RdsDouble/seed/default-state.json') -Raw | ConvertFrom-Json
        $legacy = $state.clusters | Where-Object identifier -eq legacy
        $legacy | Add-Member -Force endpointAddress $sandbox.host
        $legacy | Add-Member -Force port $sandbox.port
        $file = Join-Path $TestDrive 'pack-iam-fleet.json'
        $state | ConvertTo-Json -Depth 10 | Set-Content $file
        $double = Start-RdsDouble -StateFile $file
        $user = "pack_iam_$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-SandboxIamUser $sandbox -User $user -AccessKey $double.AccessKey -SecretKey $double.SecretKey -Grant 'SELECT ON mysql.*', 'PROCESS ON *.*'
        try {
            $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('legacy'); AwsParameters = (Get-RdsDoubleParameters $double); DbUser = $user; SslCa = $sandbox.caFile; CheckId = @('AURSEC-SQL-*') })
            $tests.Count | Should -BeGreaterThan 0
            $tests | Where-Object Message -like '*needs -*' | Should -BeNullOrEmpty
            ($tests | Where-Object Name -like 'legacy AURSEC-SQL-007 *').Message | Should -BeLike '*Drift*'
            @(Get-SandboxIamDecision $sandbox) -like "* $user accepted" | Should -Not -BeNullOrEmpty -Because 'the pack logged in with a token the server checked'
        }
        finally {
            & mariadb --no-defaults --protocol=socket "--socket=$($sandbox.socket)" "-u$($sandbox.rootSocketUser)" -e "DROP USER IF EXISTS '$user'@'%'"
            Stop-RdsDouble $double
        }
    }

    It 'shows, for every check, a cluster of the fleet that passes and one that does not' {
        $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('analytics', 'billing', 'inventory', 'legacy', 'orders'); AwsParameters = $Aws })
        $tests.Count | Should -Be (5 * $CheckCount)
        # Storage encryption holds on the whole seed fleet; its failing case is covered by the unencrypted-storage tests.
        # The SQL and probe checks need -SqlCredential and -ProbeEndpoint: without them every cluster shows them skipped, with the reason;
        # the pack's -SqlCredential/-ProbeEndpoint test shows them judged.
        $catalogue = @(Get-AuroraSecurityCheck)
        foreach ($check in $catalogue | Where-Object { $_.Id -notin 'AURSEC-ENC-001', 'AURSEC-TLS-005' -and "$($_.Evidence)" -notin 'Sql', 'Wire' }) {
            $results = @($tests | Where-Object Name -like "* $($check.Id) *").Result
            $results | Should -Contain 'Passed' -Because "some cluster passes $($check.Id)"
            @($results | Where-Object { $_ -in 'Failed', 'Inconclusive' }) | Should -Not -BeNullOrEmpty -Because "some cluster fails $($check.Id)"
        }

        $needsLogin = @($catalogue | Where-Object { "$($_.Evidence)" -in 'Sql', 'Wire' })
        $needsLogin.Count | Should -BeGreaterThan 0
        foreach ($check in $needsLogin) {
            $results = @($tests | Where-Object Name -like "* $($check.Id) *")
            $results.Count | Should -Be 5 -Because "every cluster shows $($check.Id)"
            $results.Result | Sort-Object -Unique | Should -Be 'Skipped' -Because "$($check.Id) is not judged without a login or a probe"
            $results.Message | ForEach-Object { $_ | Should -Match 'needs -(SqlCredential|ProbeEndpoint)' }
        }
        ($tests | Where-Object Name -like 'billing AURSEC-NET-001 *').Message | Should -Match 'billing-2'
        ($tests | Where-Object Name -like 'inventory AURSEC-ENC-002 *').Result | Should -Be 'Skipped' -Because 'a cluster without manual snapshots has none to check'
    }

    It 'reports a Warning as inconclusive and a missing cluster as a failed test' {
        $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('inventory', 'nope'); AwsParameters = $Aws })
        ($tests | Where-Object Name -like 'inventory AURSEC-TLS-002 *').Result | Should -Be 'Inconclusive'
        $missing = $tests | Where-Object Name -eq 'nope can be audited'
        $missing.Result | Should -Be 'Failed'
        $missing.Message | Should -Match "No DB cluster matches cluster 'nope'"
    }

    It 'keeps every fact in NUnit3: a Context per cluster, tags per check, reasons of Warnings, failures as reason and recommendation only' {
        $findings = @(Invoke-AuroraSecurityAudit -ClusterIdentifier legacy, inventory @Aws)
        $file = Join-Path $TestDrive 'pack.nunit3.xml'
        $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('legacy', 'inventory'); AwsParameters = $Aws; NUnitFile = $file; NUnitFormat = 'NUnit3' })
        $tests.Count | Should -Be (2 * $CheckCount)
        [xml] $xml = Get-Content $file -Raw

        foreach ($cluster in 'legacy', 'inventory') {
            $suite = @($xml.SelectNodes("//test-suite[@name='$cluster']"))
            $suite.Count | Should -Be 1 -Because "the tests of $cluster sit together"
            $suite[0].SelectNodes('.//test-case').Count | Should -Be $CheckCount
        }

        $fail = $findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-001' }
        $case = $xml.SelectSingleNode("//test-suite[@name='legacy']//test-case[contains(@name, '.AURSEC-TLS-001 ')]")
        $case.result | Should -Be 'Failed'
        $case.failure.message.InnerText | Should -BeExactly "$($fail.Reason) Recommendation: $($fail.Recommendation)"
        $categories = @($case.SelectNodes("properties/property[@name='Category']").value)
        $categories | Should -Contain 'AURSEC-TLS-001'
        $categories | Should -Contain 'High'

        $warning = $findings | Where-Object { $_.ClusterIdentifier -eq 'inventory' -and $_.CheckId -eq 'AURSEC-TLS-002' }
        $warning.Status | Should -Be 'Warning'
        $case = $xml.SelectSingleNode("//test-suite[@name='inventory']//test-case[contains(@name, '.AURSEC-TLS-002 ')]")
        $case.result | Should -Be 'Inconclusive'
        $case.reason.message.InnerText | Should -BeLike "*$($warning.Reason)*"
        $case.reason.message.InnerText | Should -BeLike "*Recommendation: $($warning.Recommendation)*"

        $skipped = $xml.SelectSingleNode("//test-suite[@name='inventory']//test-case[contains(@name, '.AURSEC-SQL-001 ')]")
        $skipped.result | Should -Be 'Skipped'
        $skipped.reason.message.InnerText | Should -Match '-SqlCredential'

        foreach ($test in $tests | Where-Object Result -eq 'Failed') {
            $test.Display | Should -Not -Match 'Exception:' -Because 'a failure says the reason and the recommendation only'
            $test.Tags | Should -Contain ($test.Name -split ' ')[1]
        }
    }

    It 'leaves out checks below MinimumSeverity and those named by ExcludeCheckId' {
        $high = @(Get-AuroraSecurityCheck | Where-Object Severity -eq High).Id
        $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('legacy'); AwsParameters = $Aws; MinimumSeverity = 'High'; ExcludeCheckId = @('AURSEC-TLS-00[12]') })
        $expected = @($high | Where-Object { $_ -notlike 'AURSEC-TLS-00[12]' })
        $tests.Count | Should -Be $expected.Count
        foreach ($test in $tests) { ($test.Name -split ' ')[1] | Should -BeIn $expected }
        $tests | Where-Object { 'High' -notin $_.Tags } | Should -BeNullOrEmpty
    }

    It 'turns an audit that cannot run into one failed test that says why' {
        $noRegion = @{} + $Aws
        $noRegion.Remove('Region')
        $file = Join-Path $TestDrive 'pack-no-region.xml'
        $tests = @(Invoke-CompliancePack @{ AwsParameters = $noRegion; NoAmbientRegion = $true; NUnitFile = $file; NUnitFormat = 'NUnitXml' })
        $tests.Count | Should -Be 1
        $tests[0].Result | Should -Be 'Failed'
        $tests[0].Name | Should -Be 'Aurora MySQL security runs the audit'
        $tests[0].Display | Should -Match 'could not run: .*region'
        $tests[0].Display | Should -Not -Match 'Exception:'
        [xml] $xml = Get-Content $file -Raw
        $xml.'test-results'.failures | Should -Be 1 -Because 'a dashboard that counts failed tests sees the run fail'

        $typo = @(Invoke-CompliancePack @{ ClusterIdentifier = @('legacy'); AwsParameters = $Aws; CheckId = @('AURSEC-TLS-999') })
        $typo.Count | Should -Be 1
        $typo[0].Result | Should -Be 'Failed'
        $typo[0].Display | Should -Match "'AURSEC-TLS-999' names no check"
        $severity = @(Invoke-CompliancePack @{ ClusterIdentifier = @('legacy'); AwsParameters = $Aws; MinimumSeverity = 'Severe' })
        $severity.Display | Should -Match 'use Low, Medium or High'
    }
}

# The reads, the audit and the compliance pack against a terse RDS: optional fields left out. A check never passes on
# evidence the answer left out, and every Pass agrees with what the aws CLI, an independent reader, sees in the double.
Describe 'Invoke-AuroraSecurityAudit, Get-AuroraTlsConfig and the compliance pack (<_> answers)' -ForEach 'full', 'minimal' -Tag 'RdsDouble', 'AwsCli' {
    BeforeAll {
        $script:Mode = $_
        $script:Answers = Start-RdsDouble -Mode $_ -ParameterDelayMs 300
        $script:AnswersAws = Get-RdsDoubleParameters $Answers
    }

    AfterAll {
        Stop-RdsDouble $Answers
    }

    It 'no Pass and no true that the double''s own state contradicts' {
        $findings = @(Invoke-AuroraSecurityAudit @AnswersAws)
        $findings.Count | Should -Be (5 * $CheckCount)
        $clusters = (Invoke-DoubleAwsCli $Answers @('describe-db-clusters')).DBClusters
        $groups = @{}
        foreach ($cluster in $clusters) {
            $name = $cluster.DBClusterParameterGroup
            if (-not $groups.ContainsKey($name)) { $groups[$name] = (Invoke-DoubleAwsCli $Answers @('describe-db-cluster-parameters', '--db-cluster-parameter-group-name', $name)).Parameters }
        }
        foreach ($finding in $findings | Where-Object Status -eq 'Pass') {
            $cluster = $clusters | Where-Object DBClusterIdentifier -eq $finding.ClusterIdentifier
            $parameters = $groups[$cluster.DBClusterParameterGroup]
            switch ($finding.CheckId) {
                'AURSEC-TLS-001' { ($parameters | Where-Object ParameterName -eq 'require_secure_transport').ParameterValue | Should -BeIn @('1', 'ON') -Because "$($finding.ClusterIdentifier) passed TLS-001" }
                'AURSEC-IAM-001' { $cluster.IAMDatabaseAuthenticationEnabled | Should -BeTrue -Because "$($finding.ClusterIdentifier) passed IAM-001" }
                'AURSEC-ENC-001' { $cluster.StorageEncrypted | Should -BeTrue -Because "$($finding.ClusterIdentifier) passed ENC-001" }
                'AURSEC-TLS-005' { $cluster.DBClusterMembers.DBClusterParameterGroupStatus | Sort-Object -Unique | Should -Be 'in-sync' }
                'AURSEC-CFG-001' { $cluster.DBClusterParameterGroup | Should -Not -BeLike 'default.*' }
            }
        }

        foreach ($read in Get-AuroraTlsConfig @AnswersAws) {
            $cluster = $clusters | Where-Object DBClusterIdentifier -eq $read.ClusterIdentifier
            $value = ($groups[$cluster.DBClusterParameterGroup] | Where-Object ParameterName -eq 'require_secure_transport').ParameterValue
            if ($read.RequireSecureTransport -eq $true) { $value | Should -BeIn @('1', 'ON') }
            if ($read.RequireSecureTransport -eq $false) { $value | Should -Not -BeIn @('1', 'ON') }
        }
    }

    It 'makes evidence the answer left out a Warning that names the missing field' {
        $findings = @(Invoke-AuroraSecurityAudit -ClusterIdentifier inventory, orders @AnswersAws)
        $transport = $findings | Where-Object { $_.ClusterIdentifier -eq 'inventory' -and $_.CheckId -eq 'AURSEC-TLS-001' }
        $certificate = $findings | Where-Object { $_.ClusterIdentifier -eq 'orders' -and $_.CheckId -eq 'AURSEC-TLS-006' }
        $encrypted = $findings | Where-Object { $_.ClusterIdentifier -eq 'orders' -and $_.CheckId -eq 'AURSEC-ENC-001' }
        $read = Get-AuroraTlsConfig -ClusterIdentifier inventory @AnswersAws
        if ($Mode -eq 'full') {
            $transport.Status | Should -Be 'Fail'
            $certificate.Status | Should -Be 'Pass'
            $encrypted.Status | Should -Be 'Pass'
            $read.RequireSecureTransport | Should -BeFalse
            $read.UnknownFields | Should -BeNullOrEmpty
        }
        else {
            $transport.Status | Should -Be 'Warning'
            $transport.Reason | Should -Match 'require_secure_transport: RDS gave neither a ParameterValue nor a Source'
            $certificate.Status | Should -Be 'Warning'
            $certificate.Reason | Should -Match 'no expiry reported'
            $encrypted.Status | Should -Be 'Warning'
            $encrypted.Reason | Should -Match 'StorageEncrypted'
            $read.RequireSecureTransport | Should -BeNullOrEmpty -Because 'absent is unknown, never false'
            $read.UnknownFields | Should -Contain 'require_secure_transport: RDS gave neither a ParameterValue nor a Source'
        }
    }

    It 'the compliance pack never passes what the audit could not prove' {
        $tests = @(Invoke-CompliancePack @{ ClusterIdentifier = @('inventory', 'orders'); AwsParameters = $AnswersAws })
        $tests.Count | Should -Be (2 * $CheckCount)
        $expected = if ($Mode -eq 'full') { 'Failed' } else { 'Inconclusive' }
        ($tests | Where-Object Name -like 'inventory AURSEC-TLS-001 *').Result | Should -Be $expected
        if ($Mode -eq 'minimal') {
            ($tests | Where-Object Name -like 'orders AURSEC-ENC-001 *').Result | Should -Be 'Inconclusive'
            ($tests | Where-Object Name -like 'orders AURSEC-TLS-006 *').Result | Should -Be 'Inconclusive'
        }
        # orders runs 2.11.2 with a system ssl_cipher list that names DHE ciphers: judged as listed, in both modes never Passed.
        ($tests | Where-Object Name -like 'orders AURSEC-TLS-004 *').Result | Should -Not -Be 'Passed'
    }
}

# Every credential form AWS.Tools takes, against the RDS double's own STS and IAM Identity Center portal: assumed-role
# profiles, -RoleArn, web identity, SSO from the aws CLI's token cache, credential_process; endpoint overrides the way the
# SDKs read them; the RDS double sees the assumed role's keys, never the source's; no secret reaches any output stream.
BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Auditor = 'arn:aws:iam::111111111111:role/Auditor'
    $script:Denied = 'arn:aws:iam::222222222222:role/Auditor'
    $script:Other = 'arn:aws:iam::333333333333:role/Auditor'
    $script:Double = Start-RdsDouble -ExtraArguments @('--regions', 'eu-west-1', '--external-id', "$Auditor=ext-123", '--deny-role', $Denied,
        '--mfa-serial', 'arn:aws:iam::444444444444:role/Mfa=arn:aws:iam::000000000000:mfa/me')
    $script:TestHome = Join-Path ([System.IO.Path]::GetTempPath()) ("aurora-creds-" + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path (Join-Path $TestHome '.aws/sso/cache') -Force | Out-Null
    $script:ConfigFile = Join-Path $TestHome '.aws/config'
    $script:Empty = Join-Path $TestHome 'empty'
    Set-Content -Path $Empty -Value ''
    $endpoint = $Double.Endpoint
    Set-Content -Path $ConfigFile -Value @"
[profile base]
aws_access_key_id = $($Double.AccessKey)
aws_secret_access_key = $($Double.SecretKey)

[profile auditor]
role_arn = $Auditor
source_profile = base
external_id = ext-123
role_session_name = nightly-audit
duration_seconds = 1800
region = us-east-1
services = local-double

[profile denied]
role_arn = $Denied
source_profile = base
region = us-east-1
endpoint_url = $endpoint

[profile mfa]
role_arn = arn:aws:iam::444444444444:role/Mfa
source_profile = base
mfa_serial = arn:aws:iam::000000000000:mfa/me
region = us-east-1
endpoint_url = $endpoint

[profile ssouser]
sso_session = corp
sso_account_id = 555555555555
sso_role_name = Auditor
region = us-east-1
endpoint_url = $endpoint

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile process]
credential_process = $(Join-Path $TestHome 'credential-process.sh')
region = us-east-1
endpoint_url = $endpoint

[services local-double]
sts =
  endpoint_url = $endpoint
rds =
  endpoint_url = $endpoint
"@
    $process = Join-Path $TestHome 'credential-process.sh'
    Set-Content -Path $process -Value ("#!/bin/sh`necho '" + (@{ Version = 1; AccessKeyId = $Double.AccessKey; SecretAccessKey = $Double.SecretKey } | ConvertTo-Json -Compress) + "'`n")
    & chmod +x $process
    $script:Saved = @{}
    foreach ($name in 'HOME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_RDS', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_SSO', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN',
        'AWS_ROLE_SESSION_NAME', 'AWS_EC2_METADATA_DISABLED', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_EC2_METADATA_SERVICE_ENDPOINT') {
        $Saved[$name] = [Environment]::GetEnvironmentVariable($name)
        Set-ProcessVariable $name $null
    }
    Set-ProcessVariable HOME $TestHome
    Set-ProcessVariable AWS_CONFIG_FILE $ConfigFile
    Set-ProcessVariable AWS_SHARED_CREDENTIALS_FILE $Empty
    Set-ProcessVariable AWS_EC2_METADATA_DISABLED 'true'
    $script:Keys = @{ AccessKey = $Double.AccessKey; SecretKey = $Double.SecretKey }

    function Get-RdsRequests { @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object service -eq 'rds') }
    function Get-StsRequests { @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object service -eq 'sts') }
}

AfterAll {
    Stop-RdsDouble $Double
    foreach ($name in $Saved.Keys) { Set-ProcessVariable $name $Saved[$name] }
    Remove-Item $TestHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Assumed-role profiles' -Tag 'RdsDouble' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'assumes the role of a source_profile profile with its external id, session name and duration, at the endpoints of its services section' {
        $clusters = Get-AuroraCluster -ProfileName auditor
        $clusters.Count | Should -BeGreaterThan 0
        $clusters.AccountId | Sort-Object -Unique | Should -Be '111111111111'
        $assume = @(Get-StsRequests | Where-Object action -eq 'AssumeRole')
        $assume.Count | Should -Be 1
        $assume[0].accepted | Should -BeTrue
        $assume[0].accessKeyId | Should -Be $Double.AccessKey -Because 'the source profile signs AssumeRole'
        $assume[0].parameters.RoleArn | Should -Be $Auditor
        $assume[0].parameters.ExternalId | Should -Be 'ext-123'
        $assume[0].parameters.RoleSessionName | Should -Be 'nightly-audit'
        $assume[0].parameters.DurationSeconds | Should -Be '1800'
        $rds = Get-RdsRequests
        $rds.Count | Should -BeGreaterThan 0
        $rds | ForEach-Object { $_.accessKeyId | Should -Not -Be $Double.AccessKey; $_.accountId | Should -Be '111111111111'; $_.accepted | Should -BeTrue }
    }

    It 'says which profile and role could not be assumed' {
        $e = { Get-AuroraCluster -ProfileName denied -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Match '^RoleNotAssumed'
        $e.Exception.Message | Should -Match ([regex]::Escape($Denied))
        $e.Exception.Message | Should -Match "profile 'denied'"
        $e.Exception.Message | Should -Match 'AccessDenied'
    }

    It 'refuses an mfa_serial role clearly where the host cannot ask for a code' {
        $e = { Get-AuroraCluster -ProfileName mfa -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Match '^MfaCodeNeeded'
        $e.Exception.Message | Should -Match 'cannot ask'
        @(Get-StsRequests).Count | Should -Be 0 -Because 'no AssumeRole without a code'
    }
}

Describe '-RoleArn on the RDS cmdlets' -Tag 'RdsDouble' {
    BeforeEach {
        Clear-RdsDoubleRequests $Double
        Set-ProcessVariable AWS_ENDPOINT_URL_STS $Double.Endpoint
        Set-ProcessVariable AWS_ENDPOINT_URL_RDS $Double.Endpoint
    }
    AfterEach {
        Set-ProcessVariable AWS_ENDPOINT_URL_STS $null
        Set-ProcessVariable AWS_ENDPOINT_URL_RDS $null
    }

    It '<Command> takes -RoleArn, -ExternalId and -RoleSessionName' -ForEach @(
        @{ Command = 'Get-AuroraCluster' }, @{ Command = 'Get-AuroraTlsConfig' }, @{ Command = 'Invoke-AuroraSecurityAudit' }, @{ Command = 'Enable-AuroraSecureTransport' },
        @{ Command = 'Set-AuroraTlsVersion' }, @{ Command = 'Set-AuroraCipherSuite' }, @{ Command = 'Disable-AuroraIamAuthentication' }, @{ Command = 'Get-AuroraEngineDefaultParameter' },
        @{ Command = 'New-AuroraAuthToken' }
    ) {
        $c = Get-Command $Command
        $c | Should -HaveParameter RoleArn
        $c | Should -HaveParameter ExternalId
        $c | Should -HaveParameter RoleSessionName
    }

    It 'signs RDS requests with the assumed role''s keys; every object carries the role''s account and the region' {
        $tls = Get-AuroraTlsConfig -RoleArn $Auditor -ExternalId ext-123 -RoleSessionName change-1234 -Region us-east-1 @Keys
        $tls.Count | Should -BeGreaterThan 0
        $tls | ForEach-Object { $_.AccountId | Should -Be '111111111111'; $_.Region | Should -Be 'us-east-1' }
        (Get-StsRequests | Where-Object action -eq 'AssumeRole').parameters.RoleSessionName | Should -Be 'change-1234'
        Get-RdsRequests | ForEach-Object { $_.accessKeyId | Should -Match '^ASIADOUBLE'; $_.accountId | Should -Be '111111111111' }
    }

    It 'a change cmdlet changes the cluster in the role''s account, not in the caller''s' {
        $result = Enable-AuroraIamAuthentication -ClusterIdentifier orders -RoleArn 'arn:aws:iam::666666666666:role/Changer' -Region us-east-1 -Force @Keys
        $result.Change | Should -BeIn 'Applied', 'Unchanged'
        $result.AccountId | Should -Be '666666666666'
        Get-DoubleMutatingRequests $Double | ForEach-Object { $_.accountId | Should -Be '666666666666' }
    }

    It 'refuses several roles where one account is meant' {
        { Get-AuroraEngineDefaultParameter -Family aurora-mysql8.0 -RoleArn $Auditor, $Other -Region us-east-1 @Keys -ErrorAction Stop } | Should -Throw -ErrorId 'SeveralRolesNotAccepted*'
    }
}

Describe 'Many accounts and regions in one run' -Tag 'RdsDouble' {
    BeforeEach {
        Clear-RdsDoubleRequests $Double
        Set-ProcessVariable AWS_ENDPOINT_URL_STS $Double.Endpoint
        Set-ProcessVariable AWS_ENDPOINT_URL_RDS $Double.Endpoint
        Set-ProcessVariable AWS_ENDPOINT_URL_EC2 $Double.Endpoint
    }
    AfterEach {
        Set-ProcessVariable AWS_ENDPOINT_URL_STS $null
        Set-ProcessVariable AWS_ENDPOINT_URL_RDS $null
        Set-ProcessVariable AWS_ENDPOINT_URL_EC2 $null
    }

    It 'audits each account in each region; an account that cannot be assumed is one error record, for it alone' {
        $findings = Invoke-AuroraSecurityAudit -RoleArn $Auditor, $Denied, $Other -ExternalId ext-123 -Region us-east-1, eu-west-1 @Keys -ErrorVariable failed -ErrorAction SilentlyContinue
        $pairs = $findings | ForEach-Object { "$($_.AccountId)/$($_.Region)" } | Sort-Object -Unique
        $pairs | Should -Be @('111111111111/eu-west-1', '111111111111/us-east-1', '333333333333/eu-west-1', '333333333333/us-east-1')
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Match '^RoleNotAssumed'
        $failed[0].Exception.Message | Should -Match '222222222222'
        # Each role is assumed once for the whole run, whatever the number of regions.
        @(Get-StsRequests | Where-Object { $_.action -eq 'AssumeRole' -and $_.accepted }).Count | Should -Be 2
        # The security groups are read in each account with its role, at the endpoint configured for EC2.
        $ec2 = @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object service -eq 'ec2')
        ($ec2 | ForEach-Object { "$($_.accountId)/$($_.signingRegion)" } | Sort-Object -Unique) | Should -Be @('111111111111/eu-west-1', '111111111111/us-east-1', '333333333333/eu-west-1', '333333333333/us-east-1')
        $ec2 | ForEach-Object { $_.accepted | Should -BeTrue }
    }

    It 'Get-AuroraCluster reads several regions; a name found in one region is not "not found" in the other' {
        $clusters = Get-AuroraCluster -Region us-east-1, eu-west-1 @Keys
        ($clusters | Group-Object Region).Name | Sort-Object | Should -Be @('eu-west-1', 'us-east-1')
        $one = Get-AuroraCluster -ClusterIdentifier orders -Region us-east-1, eu-west-1 @Keys -ErrorVariable failed -ErrorAction SilentlyContinue
        @($one).Count | Should -Be 2
        $failed | Should -BeNullOrEmpty
        $null = Get-AuroraCluster -ClusterIdentifier no-such-cluster -Region us-east-1, eu-west-1 @Keys -ErrorVariable failed -ErrorAction SilentlyContinue
        @($failed).Count | Should -Be 1
    }

    It 'a change cmdlet refuses several regions' {
        { Enable-AuroraSecureTransport -ClusterIdentifier orders -Region us-east-1, eu-west-1 -WhatIf @Keys -ErrorAction Stop } | Should -Throw -ErrorId 'SeveralRegionsNotAccepted*'
    }
}

Describe 'Many accounts and regions at once' -Tag 'RdsDouble' {
    # A double that answers each request after 300 ms, so what runs at once and what waits shows in its log.
    BeforeAll {
        $script:Slow = Start-RdsDouble -LatencyMs 300 -ExtraArguments @('--regions', 'eu-west-1', '--deny-role', $Denied)
        $script:SlowKeys = @{ AccessKey = $Slow.AccessKey; SecretKey = $Slow.SecretKey }
        foreach ($service in 'STS', 'RDS', 'EC2') { Set-ProcessVariable "AWS_ENDPOINT_URL_$service" $Slow.Endpoint }
    }
    AfterAll {
        foreach ($service in 'STS', 'RDS', 'EC2') { Set-ProcessVariable "AWS_ENDPOINT_URL_$service" $null }
        Stop-RdsDouble $Slow
    }
    BeforeEach { Clear-RdsDoubleRequests $Slow }

    It 'audits every account and region pair at once under one -ThrottleLimit, with one progress display, each cluster''s findings whole and in catalogue order' {
        $checks = @((Get-AuroraSecurityCheck | Where-Object Id -in 'AURSEC-TLS-001', 'AURSEC-TLS-005', 'AURSEC-NET-002').Id)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Roles, $Keys, $Checks)
                    Import-Module $Manifest
                    $ProgressPreference = 'Continue'
                    Invoke-AuroraSecurityAudit -RoleArn $Roles -Region us-east-1, eu-west-1 -ThrottleLimit 3 -CheckId $Checks @Keys
                }).AddArgument($ModuleManifest).AddArgument(@($Auditor, $Other)).AddArgument($SlowKeys).AddArgument($checks)
            $findings = @($ps.Invoke())
            $ps.Streams.Error | Should -BeNullOrEmpty
            $progress = @($ps.Streams.Progress)
        }
        finally { $ps.Dispose() }

        # Every finding carries its account and region; every cluster of every pair is there once, its checks in catalogue order.
        $byCluster = $findings | Group-Object { "$($_.AccountId)/$($_.Region)/$($_.ClusterIdentifier)" }
        ($byCluster.Name | ForEach-Object { ($_ -split '/')[0..1] -join '/' } | Sort-Object -Unique) |
            Should -Be @('111111111111/eu-west-1', '111111111111/us-east-1', '333333333333/eu-west-1', '333333333333/us-east-1')
        $byCluster.Count | Should -Be (4 * 5) -Because 'the seed has five Aurora MySQL clusters in each account and region'
        $byCluster | ForEach-Object { $_.Group.CheckId | Should -Be $checks }

        # One throttle for all pairs: never more than 3 requests at the double at once, and 3 reached.
        $log = @(Get-RdsDoubleRequests $Slow | ForEach-Object { $_ } | Where-Object service -in 'rds', 'ec2', 'sts')
        ($log.inFlight | Measure-Object -Maximum).Maximum | Should -Be 3
        # At once, not one after another: every pair's first request arrives before any other pair's last.
        $pairs = $log | Where-Object { $_.service -ne 'sts' } | Group-Object { "$($_.accountId)/$($_.signingRegion)" }
        $pairs.Count | Should -Be 4
        $lastOf = @{}; $firstOf = @{}
        foreach ($pair in $pairs) { $times = $pair.Group.time | ForEach-Object { [DateTimeOffset]$_ } | Sort-Object; $firstOf[$pair.Name] = $times[0]; $lastOf[$pair.Name] = $times[-1] }
        foreach ($a in $pairs.Name) { foreach ($b in $pairs.Name) { if ($a -ne $b) { $firstOf[$a] | Should -BeLessThan $lastOf[$b] -Because "$a and $b are audited at once" } } }

        # One progress display: one activity, the clusters counted across all pairs.
        ($progress.ActivityId | Sort-Object -Unique) | Should -Be 1
        ($progress.Activity | Sort-Object -Unique) | Should -Be 'Invoke-AuroraSecurityAudit'
        $progress.StatusDescription | Should -Contain '20 of 20 clusters audited in 4 account and region pairs'
        ($progress | Where-Object RecordType -eq 'Completed').Count | Should -Be 1
    }

    It 'an account whose role cannot be assumed is one error record in any number of regions; the other accounts are audited whole' {
        $findings = @(Invoke-AuroraSecurityAudit -RoleArn $Denied, $Auditor -Region us-east-1, eu-west-1 -ThrottleLimit 4 -CheckId AURSEC-TLS-005 @SlowKeys -ErrorVariable failed -ErrorAction SilentlyContinue)
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Match '^RoleNotAssumed'
        $failed[0].TargetObject | Should -Be $Denied
        ($findings | ForEach-Object { "$($_.AccountId)/$($_.Region)" } | Sort-Object -Unique) | Should -Be @('111111111111/eu-west-1', '111111111111/us-east-1')
        $findings.Count | Should -Be 10
    }

    It 'stops within a second on Ctrl+C in a run over several accounts and regions, and sends nothing after' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Manifest, $Roles, $Keys)
                Import-Module $Manifest
                Invoke-AuroraSecurityAudit -RoleArn $Roles -Region us-east-1, eu-west-1 -ThrottleLimit 2 @Keys
            }).AddArgument($ModuleManifest).AddArgument(@($Auditor, $Other)).AddArgument($SlowKeys)
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $null = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
        $deadline = (Get-Date).AddSeconds(60)
        while ($output.Count -eq 0 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $output.Count | Should -BeGreaterThan 0 -Because 'findings are written as each cluster completes'
        $all = 4 * 5 * @(Get-AuroraSecurityCheck).Count
        $output.Count | Should -BeLessThan $all

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $clock.Stop()
        $clock.Elapsed.TotalMilliseconds | Should -BeLessThan 1000
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Dispose()

        $requests = @(Get-RdsDoubleRequests $Slow).Count
        Start-Sleep -Milliseconds 1500
        @(Get-RdsDoubleRequests $Slow).Count | Should -Be $requests -Because 'no request is sent after the stop'
    }
}

Describe 'Several regions, one of them slow' -Tag 'RdsDouble' {
    # eu-west-1 answers each request 2.5 s late, well beyond what us-east-1 takes on a busy machine: a cmdlet reading both
    # regions shows us-east-1 while eu-west-1 is still read.
    BeforeAll {
        $script:Uneven = Start-RdsDouble -ExtraArguments @('--regions', 'eu-west-1', '--region-latency', 'eu-west-1=2500')
        $script:UnevenKeys = @{ AccessKey = $Uneven.AccessKey; SecretKey = $Uneven.SecretKey; EndpointUrl = $Uneven.Endpoint }

        # Runs one command in its own runspace and notes, each time output arrives, the regions seen so far and whether the
        # command was still running.
        function Watch-Output([scriptblock] $Command) {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({ param($Manifest) Import-Module $Manifest }).AddArgument($ModuleManifest).AddStatement().AddScript($Command).AddArgument($UnevenKeys)
                $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
                $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
                $deadline = (Get-Date).AddSeconds(60)
                while ($output.Count -eq 0 -and -not $handle.IsCompleted -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 10 }
                $stillRunning = -not $handle.IsCompleted
                # By index: enumerating an open PSDataCollection waits until the command ends.
                $seen = $output.Count
                $firstRegions = @(for ($i = 0; $i -lt $seen; $i++) { $output[$i].Region }) | Sort-Object -Unique
                $ps.EndInvoke($handle) | Out-Null
                [pscustomobject]@{ FirstRegions = $firstRegions; StillRunning = $stillRunning; All = @($output); Errors = @($ps.Streams.Error) }
            }
            finally { $ps.Dispose() }
        }
    }
    AfterAll { Stop-RdsDouble $Uneven }

    It 'Get-AuroraCluster writes the fast region''s clusters while the slow one is still read, whatever the order of -Region' {
        $run = Watch-Output { param($Keys) Get-AuroraCluster -Region eu-west-1, us-east-1 @Keys }
        $run.StillRunning | Should -BeTrue -Because 'the first clusters arrive before the slow region is done'
        $run.FirstRegions | Should -Be @('us-east-1')
        ($run.All.Region | Sort-Object -Unique) | Should -Be @('eu-west-1', 'us-east-1')
        $run.Errors | Should -BeNullOrEmpty
    }

    It 'Get-AuroraTlsConfig writes the fast region''s settings while the slow one is still read' {
        $run = Watch-Output { param($Keys) Get-AuroraTlsConfig -Region eu-west-1, us-east-1 @Keys }
        $run.StillRunning | Should -BeTrue
        $run.FirstRegions | Should -Be @('us-east-1')
        ($run.All.Region | Sort-Object -Unique) | Should -Be @('eu-west-1', 'us-east-1')
        $run.Errors | Should -BeNullOrEmpty
    }

    It 'reports a name that no region has once, after every region has answered' {
        $run = Watch-Output { param($Keys) Get-AuroraCluster -ClusterIdentifier orders, no-such-cluster -Region eu-west-1, us-east-1 @Keys }
        @($run.All).Count | Should -Be 2
        @($run.Errors).Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Match '^ClusterNotFound'
        $run.Errors[0].TargetObject | Should -Be 'no-such-cluster'
    }

    It 'stops reading the slow region when a downstream command has what it wants' {
        Clear-RdsDoubleRequests $Uneven
        # The slow region's cluster list comes after 2.5 s; its parameter groups and instances would be read after that.
        $first = Get-AuroraTlsConfig -Region eu-west-1, us-east-1 @UnevenKeys | Select-Object -First 1
        $first.Region | Should -Be 'us-east-1'
        $sent = @(Get-RdsDoubleRequests $Uneven).Count
        Start-Sleep -Milliseconds 4500
        @(Get-RdsDoubleRequests $Uneven).Count | Should -Be $sent -Because 'no request is sent once Select-Object -First has its object'
    }
}

Describe 'Other credential forms' -Tag 'RdsDouble' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'web identity from AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (EKS)' {
        $token = Join-Path $TestHome 'web-token'
        Set-Content -Path $token -Value 'double-web-identity-token' -NoNewline
        Set-ProcessVariable AWS_WEB_IDENTITY_TOKEN_FILE $token
        Set-ProcessVariable AWS_ROLE_ARN 'arn:aws:iam::777777777777:role/Pod'
        Set-ProcessVariable AWS_ENDPOINT_URL_STS $Double.Endpoint
        try {
            $clusters = Get-AuroraCluster -Region us-east-1 -EndpointUrl $Double.Endpoint
        }
        finally {
            'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ENDPOINT_URL_STS' | ForEach-Object { Set-ProcessVariable $_ $null }
        }
        $clusters.AccountId | Sort-Object -Unique | Should -Be '777777777777'
        (Get-StsRequests | Where-Object action -eq 'AssumeRoleWithWebIdentity').accepted | Should -Be $true
    }

    It 'an sso_session profile with the token the aws CLI cached' {
        $sha1 = [System.Security.Cryptography.SHA1]::Create()
        $name = -join ($sha1.ComputeHash([Text.Encoding]::UTF8.GetBytes('corp')) | ForEach-Object { $_.ToString('x2') })
        $expires = [DateTime]::UtcNow.AddHours(1).ToString('yyyy-MM-ddTHH:mm:ssZ')
        Set-Content -Path (Join-Path $TestHome ".aws/sso/cache/$name.json") -Value (@{ accessToken = 'double-sso-access-token'; expiresAt = $expires; region = 'us-east-1'; startUrl = 'https://corp.awsapps.com/start' } | ConvertTo-Json)
        Set-ProcessVariable AWS_ENDPOINT_URL_SSO $Double.Endpoint
        try {
            $clusters = Get-AuroraCluster -ProfileName ssouser
        }
        finally { Set-ProcessVariable AWS_ENDPOINT_URL_SSO $null }
        $clusters.AccountId | Sort-Object -Unique | Should -Be '555555555555'
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object service -eq 'sso').Count | Should -Be 1
    }

    It 'credential_process' {
        $clusters = Get-AuroraCluster -ProfileName process
        $clusters.Count | Should -BeGreaterThan 0
        Get-RdsRequests | ForEach-Object { $_.accessKeyId | Should -Be $Double.AccessKey }
    }
}

Describe 'Profile files named by the environment at each call' -Tag 'RdsDouble' {
    # A runbook may point AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE elsewhere between two calls in one session; the second call
    # reads the file named then, not the one the AWS SDK saw first in this process.
    BeforeAll {
        $endpoint = $Double.Endpoint
        $script:FirstConfig = Join-Path $TestHome 'first.config'
        $script:SecondConfig = Join-Path $TestHome 'second.config'
        foreach ($pair in @(@($FirstConfig, 'us-east-1'), @($SecondConfig, 'eu-west-1'))) {
            Set-Content -Path $pair[0] -Value @"
[profile moving]
aws_access_key_id = $($Double.AccessKey)
aws_secret_access_key = $($Double.SecretKey)
region = $($pair[1])
endpoint_url = $endpoint
"@
        }
        $script:SecondCredentials = Join-Path $TestHome 'second.credentials'
        Set-Content -Path $SecondCredentials -Value "[moving]`naws_access_key_id = AKIDNOTKNOWNTOTHEDOUBLE`naws_secret_access_key = other/secret`n"
    }
    AfterEach {
        Set-ProcessVariable AWS_CONFIG_FILE $ConfigFile
        Set-ProcessVariable AWS_SHARED_CREDENTIALS_FILE $Empty
    }

    It 'reads the config file AWS_CONFIG_FILE names now, when it changes between two calls' {
        Set-ProcessVariable AWS_CONFIG_FILE $FirstConfig
        $first = Get-AuroraCluster -ProfileName moving
        Set-ProcessVariable AWS_CONFIG_FILE $SecondConfig
        $second = Get-AuroraCluster -ProfileName moving
        $first.Count | Should -BeGreaterThan 0
        $second.Count | Should -BeGreaterThan 0
        $first.Region | Sort-Object -Unique | Should -Be 'us-east-1'
        $second.Region | Sort-Object -Unique | Should -Be 'eu-west-1' -Because 'the second file gives the profile another region'
    }

    It 'reads the credentials file AWS_SHARED_CREDENTIALS_FILE names now, and its keys win over the config file' {
        Set-ProcessVariable AWS_CONFIG_FILE $FirstConfig
        @(Get-AuroraCluster -ProfileName moving).Count | Should -BeGreaterThan 0
        Set-ProcessVariable AWS_SHARED_CREDENTIALS_FILE $SecondCredentials
        $e = { Get-AuroraCluster -ProfileName moving -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match 'InvalidClientTokenId|security token included in the request is invalid' -Because 'the double knows only the config file''s key'
    }
}

Describe 'Endpoint overrides' -Tag 'RdsDouble' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'AWS_ENDPOINT_URL_RDS is used, and -EndpointUrl wins over it' {
        Set-ProcessVariable AWS_ENDPOINT_URL_RDS $Double.Endpoint
        try {
            $DebugPreference = 'Continue'
            $debug = Get-AuroraCluster -ClusterIdentifier orders -Region us-east-1 @Keys 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
            $DebugPreference = 'SilentlyContinue'
            ($debug.Message -join "`n") | Should -Match 'from environment variable AWS_ENDPOINT_URL_RDS'
            { Get-AuroraCluster -ClusterIdentifier orders -Region us-east-1 @Keys -EndpointUrl 'http://127.0.0.1:9/' -ErrorAction Stop } | Should -Throw
        }
        finally { Set-ProcessVariable AWS_ENDPOINT_URL_RDS $null }
        @(Get-RdsRequests).Count | Should -BeGreaterThan 0
    }
}

Describe 'No secret reaches an output stream' -Tag 'RdsDouble' {
    It 'neither the source keys nor any assumed key, secret or token appears in any stream, -Debug and -Verbose included' {
        Set-ProcessVariable AWS_ENDPOINT_URL_STS $Double.Endpoint
        Set-ProcessVariable AWS_ENDPOINT_URL_RDS $Double.Endpoint
        try {
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            $all = & {
                Get-AuroraTlsConfig -RoleArn $Auditor -ExternalId ext-123 -Region us-east-1, eu-west-1 @Keys
                Invoke-AuroraSecurityAudit -RoleArn $Auditor, $Denied -ExternalId ext-123 -Region us-east-1 @Keys -ErrorAction Continue
                Get-AuroraCluster -ProfileName auditor
            } *>&1 | Out-String -Width 4096
        }
        finally {
            $DebugPreference = 'SilentlyContinue'
            $VerbosePreference = 'SilentlyContinue'
            Set-ProcessVariable AWS_ENDPOINT_URL_STS $null
            Set-ProcessVariable AWS_ENDPOINT_URL_RDS $null
        }
        $all | Should -Match 'assumed with' -Because 'the debug stream was captured'
        $all.Length | Should -BeGreaterThan 1000
        $keys = @(Invoke-RestMethod -Uri ($Double.Endpoint + '_double/keys') | ForEach-Object { $_ })
        @($keys | Where-Object issuedBy -eq 'AssumeRole').Count | Should -BeGreaterThan 1
        foreach ($key in $keys) {
            $all | Should -Not -Match ([regex]::Escape($key.secretKey))
            if ($key.sessionToken) { $all | Should -Not -Match ([regex]::Escape($key.sessionToken)) }
            if ($key.issuedBy -ne 'static') { $all | Should -Not -Match ([regex]::Escape($key.accessKeyId)) }
        }
    }
}

Describe 'Container and instance credentials' -Tag 'RdsDouble' {
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'container credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI (ECS, EKS Pod Identity)' {
        Set-ProcessVariable AWS_CONTAINER_CREDENTIALS_FULL_URI ($Double.Endpoint + 'container-credentials')
        try {
            $clusters = Get-AuroraCluster -Region us-east-1 -EndpointUrl $Double.Endpoint
        }
        finally { Set-ProcessVariable AWS_CONTAINER_CREDENTIALS_FULL_URI $null }
        $clusters.AccountId | Sort-Object -Unique | Should -Be '888888888888'
    }

    It 'instance metadata credentials (IMDSv2) at AWS_EC2_METADATA_SERVICE_ENDPOINT' {
        Set-ProcessVariable AWS_EC2_METADATA_DISABLED $null
        Set-ProcessVariable AWS_EC2_METADATA_SERVICE_ENDPOINT $Double.Endpoint
        try {
            $clusters = Get-AuroraCluster -Region us-east-1 -EndpointUrl $Double.Endpoint
        }
        finally {
            Set-ProcessVariable AWS_EC2_METADATA_SERVICE_ENDPOINT $null
            Set-ProcessVariable AWS_EC2_METADATA_DISABLED 'true'
        }
        $clusters.AccountId | Sort-Object -Unique | Should -Be '888888888888'
        @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object path -eq '/latest/api/token').Count | Should -BeGreaterThan 0
    }
}

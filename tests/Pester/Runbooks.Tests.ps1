# docs/runbooks.md: every PowerShell block parses and calls only commands and parameters that exist, every JSON block is
# JSON, every script path it names exists, the audit policy it gives allows every action the read cmdlets send, and the
# blocks marked "exercised" run as written against the RDS double (RDS, EC2 and STS at one endpoint).
BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:RunbookPath = Join-Path $RepoRoot 'docs/runbooks.md'

    # The fenced blocks of the page: language, code, and the name of the "exercised" marker just before it (if any).
    function Get-RunbookBlock {
        $lines = Get-Content $RunbookPath
        $blocks = [System.Collections.Generic.List[object]]::new()
        $marker = $null
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^<!-- exercised: ([\w-]+) -->$') { $marker = $Matches[1]; continue }
            if ($lines[$i] -match '^```(\w+)$') {
                $language = $Matches[1]
                $code = [System.Collections.Generic.List[string]]::new()
                for ($i++; $i -lt $lines.Count -and $lines[$i] -ne '```'; $i++) { $code.Add($lines[$i]) }
                $blocks.Add([pscustomobject]@{ Language = $language; Code = ($code -join "`n"); Exercised = $marker })
                $marker = $null
                continue
            }
            if ($lines[$i].Trim()) { $marker = $null }
        }
        $blocks
    }

    function Get-ExercisedBlock([string] $Name, [string] $Language) {
        $found = @(Get-RunbookBlock | Where-Object { $_.Exercised -eq $Name -and $_.Language -eq $Language })
        $found.Count | Should -BeGreaterThan 0 -Because "docs/runbooks.md marks a $Language block '$Name' as exercised"
        $found.Code -join "`n`n"
    }

    # The actions of the audit policy the page gives (its first JSON block).
    function Get-AuditPolicyAction {
        $policy = (Get-RunbookBlock | Where-Object Language -eq 'json' | Select-Object -First 1).Code | ConvertFrom-Json
        @($policy.Statement | ForEach-Object { $_.Action })
    }
}

Describe 'docs/runbooks.md as written' -Tag 'None' {
    It 'has PowerShell blocks that parse and call only commands and parameters that exist' {
        $blocks = @(Get-RunbookBlock | Where-Object Language -eq 'powershell')
        $blocks.Count | Should -BeGreaterThan 4
        foreach ($block in $blocks) {
            $tokens = $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($block.Code, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because "this block must parse:`n$($block.Code)"
            foreach ($call in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $name = $call.GetCommandName()
                if (-not $name -or $name -notmatch '^\w+-\w+$') { continue }
                $command = Get-Command $name -ErrorAction SilentlyContinue
                $command | Should -Not -BeNullOrEmpty -Because "docs/runbooks.md calls $name"
                if ($command.Source -ne 'AuroraSecurity') { continue }
                $names = @($command.Parameters.Keys) + @($command.Parameters.Values.Aliases)
                foreach ($parameter in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                    $names | Should -Contain $parameter.ParameterName -Because "$name has no -$($parameter.ParameterName)"
                }
            }
        }
    }

    It 'has JSON blocks that are JSON, and names only scripts that exist' {
        foreach ($block in Get-RunbookBlock | Where-Object Language -eq 'json') {
            { $block.Code | ConvertFrom-Json } | Should -Not -Throw
        }
        $scripts = @([regex]::Matches((Get-Content $RunbookPath -Raw), 'examples/[\w.-]+\.ps1') | ForEach-Object Value | Sort-Object -Unique)
        $scripts.Count | Should -BeGreaterThan 0
        foreach ($script in $scripts) { Join-Path $RepoRoot $script | Should -Exist }
    }

    It 'marks the organisation, container, schedule and CI blocks as exercised' {
        $exercised = @(Get-RunbookBlock | Where-Object Exercised | ForEach-Object Exercised | Sort-Object -Unique)
        $exercised | Should -Be @('compliance-pack', 'container', 'nightly', 'role-arn', 'role-profiles')
    }
}

Describe 'docs/runbooks.md against the doubles' -Tag 'RdsDouble' {
    BeforeAll {
        $script:Double = Start-RdsDouble -ExtraArguments @('--regions', 'eu-west-1')
        $script:TestHome = Join-Path ([System.IO.Path]::GetTempPath()) ("aurora-runbooks-" + [guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path (Join-Path $TestHome '.aws') -Force | Out-Null
        # The page's role profiles as written; audit-base holds keys, as `aws configure --profile audit-base` writes them.
        $script:ConfigFile = Join-Path $TestHome '.aws/config'
        Set-Content -Path $ConfigFile -Value (Get-ExercisedBlock 'role-profiles' 'ini')
        $script:CredentialsFile = Join-Path $TestHome '.aws/credentials'
        Set-Content -Path $CredentialsFile -Value "[audit-base]`naws_access_key_id = $($Double.AccessKey)`naws_secret_access_key = $($Double.SecretKey)`n"
        $script:Saved = @{}
        foreach ($name in 'HOME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID',
            'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_RDS', 'AWS_ENDPOINT_URL_EC2',
            'AWS_EC2_METADATA_DISABLED', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'PSModulePath') {
            $Saved[$name] = [Environment]::GetEnvironmentVariable($name)
            if ($name -ne 'PSModulePath') { Set-ProcessVariable $name $null }
        }
        Set-ProcessVariable HOME $TestHome
        Set-ProcessVariable AWS_CONFIG_FILE $ConfigFile
        Set-ProcessVariable AWS_SHARED_CREDENTIALS_FILE $CredentialsFile
        # One endpoint for every service, as a VPC endpoint setup would give one per service.
        Set-ProcessVariable AWS_ENDPOINT_URL $Double.Endpoint
        Set-ProcessVariable AWS_EC2_METADATA_DISABLED 'true'
        # `Import-Module AuroraSecurity` and `Get-Module -ListAvailable` find the built module.
        Set-ProcessVariable PSModulePath ((Split-Path (Split-Path (Split-Path $ModuleManifest))) + [IO.Path]::PathSeparator + $Saved.PSModulePath)

        function Get-DoubleLog { @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ }) }
    }

    AfterAll {
        Stop-RdsDouble $Double
        foreach ($name in $Saved.Keys) { Set-ProcessVariable $name $Saved[$name] }
        Remove-Item $TestHome -Recurse -Force -ErrorAction SilentlyContinue
    }

    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'the audit policy allows every action the read cmdlets and a full audit send' {
        $aws = Get-RdsDoubleParameters $Double
        $clusters = @(Get-AuroraCluster @aws)
        $null = Get-AuroraTlsConfig @aws
        $null = Get-AuroraEngineDefaultParameter -Family aurora-mysql8.0 @aws
        $null = Get-AuroraConnectionGuide -ClusterIdentifier $clusters[0].ClusterIdentifier -DbUser app @aws
        $null = Invoke-AuroraSecurityAudit @aws -ErrorAction SilentlyContinue
        $sent = @(Get-DoubleLog | Where-Object service -in 'rds', 'ec2' | ForEach-Object { "$($_.service):$($_.action)" } | Sort-Object -Unique)
        $sent | Should -Contain 'ec2:DescribeSecurityGroups'
        $allowed = Get-AuditPolicyAction
        foreach ($action in $sent) { $allowed | Should -Contain $action -Because 'the audit role must be allowed every read' }
    }

    It 'role profiles: each account in each region, each role assumed once per region with its external id, session name and duration' {
        . ([scriptblock]::Create((Get-ExercisedBlock 'role-profiles' 'powershell'))) | Out-Null
        ($findings | ForEach-Object { "$($_.AccountId)/$($_.Region)" } | Sort-Object -Unique) |
            Should -Be @('111111111111/eu-west-1', '111111111111/us-east-1', '222222222222/eu-west-1', '222222222222/us-east-1')
        $assumed = @(Get-DoubleLog | Where-Object { $_.service -eq 'sts' -and $_.action -eq 'AssumeRole' })
        $assumed.Count | Should -Be 4 -Because 'two profiles, each in two regions'
        $assumed | ForEach-Object {
            $_.accepted | Should -BeTrue
            $_.accessKeyId | Should -Be $Double.AccessKey -Because 'audit-base signs AssumeRole'
            $_.parameters.ExternalId | Should -Be 'aurora-audit'
            $_.parameters.RoleSessionName | Should -Be 'aurora-audit'
            $_.parameters.DurationSeconds | Should -Be '3600'
        }
        Get-DoubleLog | Where-Object service -in 'rds', 'ec2' | ForEach-Object { $_.accessKeyId | Should -Not -Be $Double.AccessKey }
    }

    It '-RoleArn: one audit over both accounts and regions, written to CSV' {
        Push-Location $TestDrive
        try {
            . ([scriptblock]::Create((Get-ExercisedBlock 'role-arn' 'powershell'))) | Out-Null
            $rows = Import-Csv ./aurora-findings.csv
        }
        finally { Pop-Location }
        ($rows | ForEach-Object { "$($_.AccountId)/$($_.Region)" } | Sort-Object -Unique) |
            Should -Be @('111111111111/eu-west-1', '111111111111/us-east-1', '222222222222/eu-west-1', '222222222222/us-east-1')
        $failedAccounts | Should -BeNullOrEmpty
    }

    It 'container credentials: no credential parameter, and the debug stream says where they came from' {
        Set-ProcessVariable AWS_CONTAINER_CREDENTIALS_FULL_URI ($Double.Endpoint + 'container-credentials')
        try {
            $out = . ([scriptblock]::Create((Get-ExercisedBlock 'container' 'powershell'))) 5>&1
        }
        finally {
            Set-ProcessVariable AWS_CONTAINER_CREDENTIALS_FULL_URI $null
            $DebugPreference = 'SilentlyContinue'
        }
        $debug = @($out | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
        ($debug -join "`n") | Should -Match 'credentials from the AWS SDK fallback chain'
        ($debug -join "`n") | Should -Match 'region us-east-1 from -Region'
        $rds = @(Get-DoubleLog | Where-Object service -eq 'rds')
        $rds.Count | Should -BeGreaterThan 0
        $rds | ForEach-Object { $_.accountId | Should -Be '888888888888' -Because 'the container role signs the calls' }
    }

    It 'the nightly script runs the example runbook for each account' {
        $code = (Get-ExercisedBlock 'nightly' 'powershell').Replace('/opt/aurora/examples/', (Join-Path $RepoRoot 'examples') + '/').Replace('/var/lib/aurora/', "$TestDrive/")
        . ([scriptblock]::Create($code)) | Out-Null
        foreach ($account in '111111111111', '222222222222') {
            Join-Path $TestDrive "$account/asff-1.json" | Should -Exist
            Join-Path $TestDrive "$account/aurora-security.html" | Should -Exist
            (Get-Content (Join-Path $TestDrive "$account/asff-1.json") -Raw | ConvertFrom-Json).Findings[0].AwsAccountId | Should -Be $account
        }
    }

    It 'the compliance pack in CI writes NUnit XML with a test per finding' {
        $folder = Join-Path $TestDrive 'ci'
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        $block = Get-ExercisedBlock 'compliance-pack' 'powershell'
        $child = "`$ErrorActionPreference = 'Stop'`nImport-Module '$((Get-Module Pester).Path)'`nImport-Module AuroraSecurity`nSet-Location '$folder'`n$block`n'TOTAL ' + `$result.TotalCount"
        $output = Invoke-NonInteractivePowerShell $child
        $output | Should -Match 'TOTAL [1-9]'
        $xml = [xml](Get-Content (Join-Path $folder 'aurora-compliance.xml') -Raw)
        $xml.DocumentElement.LocalName | Should -Be 'test-results'
        [int]$xml.DocumentElement.total | Should -BeGreaterThan 0
        @(Get-DoubleLog | Where-Object { $_.service -eq 'sts' -and $_.action -eq 'AssumeRole' }).Count | Should -BeGreaterThan 0 -Because 'the pack audits with the role profile'
    }
}

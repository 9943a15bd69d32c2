# docs/runbooks.md: every PowerShell block parses and calls only commands and parameters that exist, every JSON block is
# JSON, every script path it names exists, the audit policy it gives allows every action the read cmdlets send, and the
# blocks marked "exercised" run as written against the RDS double (RDS, EC2 and STS at one endpoint). The Systems Manager
# Automation runbook (the page's YAML block) is read with a YAML parser (YamlDotNet, restored with Pester by
# build/Tools.proj), has the shape schema 0.3 and aws:executeScript document, and its script runs as written against the
# double with the S3 and gallery cmdlets it installs replaced by stand-ins.
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

    # YamlDotNet, at the version build/Tools.proj downloads beside Pester (the test task restores it before Pester runs).
    $yamlVersion = (([xml](Get-Content (Join-Path $RepoRoot 'build/Tools.proj') -Raw)).Project.ItemGroup.PackageDownload |
            Where-Object Include -eq 'YamlDotNet').Version.Trim('[', ']')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $yamlAssembly = Join-Path $packages "yamldotnet/$yamlVersion/lib/net8.0/YamlDotNet.dll"
    if (-not (Test-Path $yamlAssembly)) { throw "YamlDotNet $yamlVersion is not restored ($yamlAssembly): run the tests through ./build.ps1, which restores build/Tools.proj." }
    Add-Type -Path $yamlAssembly

    # A YAML text as PowerShell values: mappings as ordered hashtables, sequences as arrays, scalars as strings.
    # Throws YamlDotNet's own error (with line and column) on anything that is not YAML, duplicate keys included.
    function ConvertFrom-RunbookYaml([string] $Text) {
        $stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
        $stream.Load([System.IO.StringReader]::new($Text))
        if ($stream.Documents.Count -ne 1) { throw "Expected one YAML document, found $($stream.Documents.Count)." }
        ConvertFrom-YamlNode $stream.Documents[0].RootNode
    }

    function ConvertFrom-YamlNode($Node) {
        if ($Node -is [YamlDotNet.RepresentationModel.YamlMappingNode]) {
            $map = [ordered]@{}
            foreach ($pair in $Node.Children.GetEnumerator()) { $map[$pair.Key.Value] = ConvertFrom-YamlNode $pair.Value }
            return $map
        }
        if ($Node -is [YamlDotNet.RepresentationModel.YamlSequenceNode]) {
            return , @(foreach ($item in $Node.Children) { , (ConvertFrom-YamlNode $item) })
        }
        $Node.Value
    }

    # Every string a YAML value holds, however deep.
    function Get-YamlString($Value) {
        if ($Value -is [System.Collections.IDictionary]) { foreach ($item in $Value.Values) { Get-YamlString $item } }
        elseif ($Value -is [array]) { foreach ($item in $Value) { Get-YamlString $item } }
        elseif ($null -ne $Value) { [string]$Value }
    }

    # The Systems Manager Automation runbook of the page: the YAML block with mainSteps, and its aws:executeScript step.
    function Get-AutomationRunbook {
        $blocks = @(Get-RunbookBlock | Where-Object { $_.Language -eq 'yaml' -and $_.Code -match '(?m)^mainSteps:' })
        $blocks.Count | Should -Be 1 -Because 'docs/runbooks.md section 9 gives one Automation runbook'
        $document = ConvertFrom-RunbookYaml $blocks[0].Code
        $step = @($document.mainSteps | Where-Object { $_.action -eq 'aws:executeScript' })[0]
        [pscustomobject]@{ Text = $blocks[0].Code; Document = $document; Step = $step; Script = $step.inputs.Script }
    }

    # What aws:executeScript documents: its PowerShell runtimes, and the modules its PowerShell environment has before a
    # script installs any (Microsoft.PowerShell.Core is the engine's own: Import-Module, Where-Object, ForEach-Object).
    $script:ExecuteScriptPowerShellRuntimes = 'PowerShell Core 6.0', 'PowerShell 7.0', 'PowerShell 7.4'
    $script:ExecuteScriptModules = 'Microsoft.PowerShell.Core', 'Microsoft.PowerShell.Host', 'Microsoft.PowerShell.Management',
    'Microsoft.PowerShell.Security', 'Microsoft.PowerShell.Utility', 'PackageManagement', 'PowerShellGet'
    # The cmdlets of gallery modules the runbook's script installs, with the parameters AWS.Tools.S3's cmdlet reference
    # gives them (that module is not served by any registry the tests reach, so its own metadata cannot be read here).
    # The stand-ins the script runs with take exactly these parameters.
    $script:GalleryCommands = @{
        'Read-S3Object'  = @{ Module = 'AWS.Tools.S3'; Parameters = 'BucketName', 'Key', 'File', 'Version', 'KeyPrefix', 'Folder', 'Region', 'ProfileName' }
        'Write-S3Object' = @{ Module = 'AWS.Tools.S3'; Parameters = 'BucketName', 'Key', 'File', 'Content', 'ContentType', 'Folder', 'KeyPrefix', 'Region', 'ProfileName' }
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

    It 'has YAML blocks that a YAML parser reads' {
        $blocks = @(Get-RunbookBlock | Where-Object Language -eq 'yaml')
        $blocks.Count | Should -BeGreaterThan 0
        foreach ($block in $blocks) {
            { ConvertFrom-RunbookYaml $block.Code } | Should -Not -Throw -Because "this block must be YAML:`n$($block.Code)"
        }
    }

    It 'gives a Systems Manager Automation runbook of schema 0.3: its keys, parameters, steps, runtime and outputs are ones Automation takes' {
        $runbook = Get-AutomationRunbook
        $document = $runbook.Document
        $document.schemaVersion | Should -BeExactly '0.3'
        foreach ($key in $document.Keys) {
            $key | Should -BeIn 'description', 'schemaVersion', 'assumeRole', 'parameters', 'variables', 'mainSteps', 'outputs', 'files' -Because 'schema 0.3 has no other top-level key'
        }
        $document.parameters | Should -BeOfType [System.Collections.IDictionary]
        foreach ($name in $document.parameters.Keys) {
            $document.parameters[$name].type | Should -BeIn 'String', 'StringList', 'Integer', 'Boolean', 'MapList', 'StringMap' -Because "parameter $name needs a type Automation knows"
        }

        $steps = @($document.mainSteps)
        $steps.Count | Should -BeGreaterThan 0
        ($steps.name | Sort-Object -Unique).Count | Should -Be $steps.Count -Because 'step names are unique'
        foreach ($step in $steps) {
            $step.name | Should -Match '^[A-Za-z0-9_]+$'
            $step.action | Should -Match '^aws:\w+$'
            $step.inputs | Should -BeOfType [System.Collections.IDictionary]
            foreach ($output in @($step.outputs | Where-Object { $_ })) {
                $output.Name | Should -Match '^\w+$'
                $output.Selector | Should -Not -BeNullOrEmpty
                $output.Type | Should -BeIn 'String', 'Integer', 'Boolean', 'StringList', 'StringMap', 'MapList'
            }
        }

        # aws:executeScript with PowerShell: a documented runtime, no Handler (PowerShell takes none), the script inline,
        # the input as a mapping, at most the action's 600 seconds, and outputs selected from the returned payload.
        $step = $runbook.Step
        $step | Should -Not -BeNullOrEmpty -Because 'the runbook runs the audit in an aws:executeScript step'
        $step.inputs.Runtime | Should -BeIn $ExecuteScriptPowerShellRuntimes
        $step.inputs.Keys | Should -Not -Contain 'Handler'
        $step.inputs.Script | Should -Not -BeNullOrEmpty
        $step.inputs.InputPayload | Should -BeOfType [System.Collections.IDictionary]
        if ($step.Contains('timeoutSeconds')) { [int]$step.timeoutSeconds | Should -BeLessOrEqual 600 }
        @($step.outputs).Count | Should -BeGreaterThan 0
        foreach ($output in $step.outputs) { $output.Selector | Should -Match '^\$\.Payload\.\w+$' }

        # Every {{ name }} is a parameter of the runbook, an automation variable or an earlier step's output.
        $variables = 'automation:EXECUTION_ID', 'automation:DOCUMENT_NAME', 'automation:DOCUMENT_VERSION', 'global:ACCOUNT_ID',
        'global:REGION', 'global:AWS_PARTITION', 'global:DATE', 'global:TIME', 'global:DATE_TIME'
        $stepOutputs = @(foreach ($s in $steps) { foreach ($output in @($s.outputs | Where-Object { $_ })) { "$($s.name).$($output.Name)" } })
        $references = @(foreach ($text in Get-YamlString $document) {
                [regex]::Matches($text, '\{\{\s*([^{}\s]+)\s*\}\}') | ForEach-Object { $_.Groups[1].Value }
            })
        $references.Count | Should -BeGreaterThan 0
        foreach ($reference in $references) {
            $known = $document.parameters.Contains($reference) -or $reference -in $variables -or $reference -in $stepOutputs -or $reference -like 'ssm:*'
            $known | Should -BeTrue -Because "the runbook uses {{ $reference }}, which it does not declare under parameters"
        }
        $document.assumeRole | Should -Match '^\{\{\s*\w+\s*\}\}$' -Because 'the assume role is the runbook''s parameter'
    }

    It 'has an Automation script that parses and calls only commands and parameters its step''s PowerShell has or the script installs' {
        $runbook = Get-AutomationRunbook
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($runbook.Script, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty -Because "the runbook's script must parse:`n$($runbook.Script)"
        $calls = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true))
        # Install-Module NAME -Force, as the action's documentation asks for modules it lacks.
        $installed = @{}
        foreach ($call in $calls | Where-Object { $_.GetCommandName() -eq 'Install-Module' }) {
            $bound = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true)
            $bound.BoundParameters.Keys | Should -Contain 'Force' -Because 'the step installs a module only with -Force'
            foreach ($module in @($bound.BoundParameters['Name'].ConstantValue)) { $installed[$module] = $call.Extent.StartOffset }
        }
        $checked = 0
        foreach ($call in $calls) {
            $name = $call.GetCommandName()
            if (-not $name -or $name -notmatch '^\w+-\w+$') { continue }
            $parameters = @($call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object ParameterName)
            if ($GalleryCommands.ContainsKey($name)) {
                $module = $GalleryCommands[$name].Module
                $installed.Keys | Should -Contain $module -Because "$name is in $module, which the step has only once the script installs it"
                $installed[$module] | Should -BeLessThan $call.Extent.StartOffset -Because "the script installs $module before it calls $name"
                foreach ($parameter in $parameters) { $GalleryCommands[$name].Parameters | Should -Contain $parameter -Because "$name has no -$parameter" }
                $checked++
                continue
            }
            $command = Get-Command $name -ErrorAction SilentlyContinue
            $command | Should -Not -BeNullOrEmpty -Because "the runbook's script calls $name"
            if ($command.Source -ne 'AuroraSecurity') {
                $command.Source | Should -BeIn $ExecuteScriptModules -Because "$name is in $($command.Source), which aws:executeScript's PowerShell does not have"
            }
            $names = @($command.Parameters.Keys) + @($command.Parameters.Values.Aliases)
            foreach ($parameter in $parameters) { $names | Should -Contain $parameter -Because "$name has no -$parameter" }
            $checked++
        }
        $checked | Should -BeGreaterThan 5
        @($calls | Where-Object { (Get-Command $_.GetCommandName() -ErrorAction SilentlyContinue).Source -eq 'AuroraSecurity' }).Count | Should -BeGreaterThan 1
    }

    It 'has an Automation script that reads only keys its InputPayload passes and returns every key an output selects' {
        $runbook = Get-AutomationRunbook
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($runbook.Script, [ref]$null, [ref]$null)
        # The step passes InputPayload as JSON in the environment variable of that name.
        $assignment = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.AssignmentStatementAst] -and $args[0].Right.Extent.Text -match '\$env:InputPayload\b' }, $true))
        $assignment.Count | Should -Be 1 -Because 'the script reads $env:InputPayload once'
        $variable = $assignment[0].Left.VariablePath.UserPath
        $read = @($ast.FindAll({
                    $args[0] -is [System.Management.Automation.Language.MemberExpressionAst] -and
                    $args[0].Expression -is [System.Management.Automation.Language.VariableExpressionAst] -and
                    $args[0].Expression.VariablePath.UserPath -eq $variable
                }, $true) | ForEach-Object { $_.Member.Value } | Sort-Object -Unique)
        $passed = @($runbook.Step.inputs.InputPayload.Keys)
        $read.Count | Should -BeGreaterThan 0
        foreach ($key in $read) { $passed | Should -Contain $key -Because "the script reads `$$variable.$key" }
        foreach ($key in $passed) { $read | Should -Contain $key -Because "InputPayload passes $key, which the script never reads" }

        # The payload is what the script returns last: a hashtable whose keys the outputs select.
        $last = $ast.EndBlock.Statements[-1]
        if ($last -is [System.Management.Automation.Language.ReturnStatementAst]) { $last = $last.Pipeline }
        $hashtable = $last.PipelineElements[0].Expression
        $hashtable | Should -BeOfType [System.Management.Automation.Language.HashtableAst] -Because 'the script ends with the hashtable it returns'
        $returned = @($hashtable.KeyValuePairs | ForEach-Object { $_.Item1.Value })
        foreach ($output in $runbook.Step.outputs) {
            $returned | Should -Contain ($output.Selector -replace '^\$\.Payload\.', '') -Because "output $($output.Name) selects $($output.Selector)"
        }
    }

    It 'puts the layer where the Automation script reads it and starts the runbook with every parameter it has no default for' {
        $runbook = Get-AutomationRunbook
        $version = (Read-ManifestData $ModuleManifest).ModuleVersion
        $block = @(Get-RunbookBlock | Where-Object { $_.Language -eq 'bash' -and $_.Code -match 'aws ssm create-document' })
        $block.Count | Should -Be 1
        $commands = $block[0].Code -replace '\\\n\s*', ' '
        # The layer as ./build.ps1 -Task LambdaLayer writes it, copied to the bucket and key the script reads.
        $read = [System.Management.Automation.Language.Parser]::ParseInput($runbook.Script, [ref]$null, [ref]$null).FindAll({
                $args[0] -is [System.Management.Automation.Language.CommandAst] -and $args[0].GetCommandName() -eq 'Read-S3Object' }, $true)
        $layerKey = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($read[0], $true).BoundParameters['Key'].ConstantValue
        $layerKey | Should -Be "layers/AuroraSecurity-$version-layer.zip"
        $commands -match '(?m)^aws s3 cp (\S+) s3://([^/\s]+)/(\S+)$' | Should -BeTrue -Because 'the page copies the layer to S3'
        $Matches[1] | Should -Be "out/lambda/AuroraSecurity-$version-layer.zip"
        $bucket = $Matches[2]
        $Matches[3] | Should -Be $layerKey
        $commands | Should -Match '(?m)^aws ssm create-document .*--document-type Automation --document-format YAML '
        $commands -match "(?m)^aws ssm start-automation-execution .*--parameters '([^']+)'" | Should -BeTrue -Because 'the page starts the runbook'
        $given = $Matches[1] | ConvertFrom-Json -AsHashtable
        foreach ($name in $given.Keys) {
            $runbook.Document.parameters.Keys | Should -Contain $name
            $given[$name] -is [array] | Should -BeTrue -Because 'Automation takes each parameter as a list of strings'
            $given[$name] | Should -BeOfType [string]
        }
        foreach ($name in $runbook.Document.parameters.Keys | Where-Object { -not $runbook.Document.parameters[$_].Contains('default') }) {
            $given.Keys | Should -Contain $name -Because "the runbook's $name has no default"
        }
        $given.Bucket | Should -Be @($bucket)
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

    It 'the Automation runbook''s script runs as written: it loads the layer from S3, audits the region and writes ASFF for every finding' {
        $runbook = Get-AutomationRunbook
        $version = (Read-ManifestData $ModuleManifest).ModuleVersion
        $layer = & (Join-Path $RepoRoot 'build/New-LambdaLayer.ps1') -ModuleFolder (Split-Path $ModuleManifest) -OutputPath (Join-Path $TestDrive 'layer.zip')
        # The assume role's temporary keys (the double's container credentials, account 888888888888).
        $role = Invoke-RestMethod -Uri ($Double.Endpoint + 'container-credentials')
        $bucket = 'aurora-audit-999999999999'

        # InputPayload as Automation passes it: each {{ parameter }} replaced by its value or, when none is given, its default.
        $values = @{ Bucket = $bucket }
        $payload = [ordered]@{}
        foreach ($key in $runbook.Step.inputs.InputPayload.Keys) {
            $payload[$key] = [regex]::Replace($runbook.Step.inputs.InputPayload[$key], '\{\{\s*(\w+)\s*\}\}', {
                    param($m) $name = $m.Groups[1].Value
                    if ($values.ContainsKey($name)) { $values[$name] } else { $runbook.Document.parameters[$name].default }
                })
        }
        $region = $payload.Region
        $region | Should -Be 'eu-west-1' -Because 'the runbook''s Region parameter defaults to eu-west-1'

        # Stand-ins for the gallery: Install-Module records what it would install; Read-S3Object and Write-S3Object take
        # exactly the parameters listed for them, read the layer and write each object to a folder named after bucket and key.
        $s3 = Join-Path $TestDrive 's3'
        $calls = Join-Path $TestDrive 'calls.txt'
        $standIns = foreach ($name in $GalleryCommands.Keys) {
            $parameters = ($GalleryCommands[$name].Parameters | ForEach-Object { "[string] `$$_" }) -join ', '
            $body = if ($name -eq 'Read-S3Object') {
                "Add-Content '$calls' `"Read-S3Object `$BucketName `$Key`"; Copy-Item '$layer' `$File; Get-Item `$File"
            }
            else {
                "Add-Content '$calls' `"Write-S3Object `$BucketName `$Key`"; `$path = Join-Path '$s3' `$BucketName `$Key; " +
                "`$null = New-Item -ItemType Directory -Force -Path (Split-Path `$path); Set-Content -LiteralPath `$path -Value `$Content -NoNewline; [pscustomobject]@{ Key = `$Key }"
            }
            "function $name { [CmdletBinding()] param($parameters) $body }"
        }
        $scriptFile = Join-Path $TestDrive 'runbook-script.ps1'
        Set-Content -Path $scriptFile -Value $runbook.Script
        $temp = Join-Path $TestDrive 'tmp'
        $null = New-Item -ItemType Directory -Path $temp -Force
        $output = Invoke-NonInteractivePowerShell @"
`$ErrorActionPreference = 'Stop'
# The step's environment: the assume role's keys, no profile, region or other credential source; every service at the double.
foreach (`$name in 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL_RDS', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_STS',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN') { Remove-Item "Env:\`$name" -ErrorAction SilentlyContinue }
`$env:AWS_ACCESS_KEY_ID = '$($role.AccessKeyId)'
`$env:AWS_SECRET_ACCESS_KEY = '$($role.SecretAccessKey)'
`$env:AWS_SESSION_TOKEN = '$($role.Token)'
`$env:AWS_ENDPOINT_URL = '$($Double.Endpoint)'
`$env:AWS_EC2_METADATA_DISABLED = 'true'
`$env:AWS_CONFIG_FILE = '$TestDrive/no-config'
`$env:AWS_SHARED_CREDENTIALS_FILE = '$TestDrive/no-credentials'
`$env:TMPDIR = '$temp'
`$env:InputPayload = '$(ConvertTo-Json -InputObject $payload -Compress)'
function Install-Module { param([Parameter(Position = 0)][string[]] `$Name, [switch] `$Force) Add-Content '$calls' "Install-Module `$Name Force=`$Force" }
$($standIns -join "`n")
`$returned = @(& '$scriptFile')
'COUNT ' + `$returned.Count
'PAYLOAD ' + (ConvertTo-Json -InputObject `$returned[-1] -Compress)
'MODULE ' + (Get-Module AuroraSecurity).ModuleBase
"@
        $line = $output -split "`n" | Where-Object { $_ -like 'PAYLOAD *' } | Select-Object -Last 1
        $line | Should -Not -BeNullOrEmpty -Because "the script returns its payload:`n$output"
        $output | Should -Match '(?m)^COUNT 1$' -Because 'the step''s payload is the one object the script returns, nothing else on its output'
        $output | Should -Match ([regex]::Escape("MODULE $temp/aurora-layer/modules/AuroraSecurity/$version")) -Because 'the module loads from the layer the script extracted'
        $step = [pscustomobject]@{ Payload = $line.Substring('PAYLOAD '.Length) | ConvertFrom-Json }

        # What the script asked of the gallery and S3: AWS.Tools.S3 with -Force, the layer section 8 builds, one object per ASFF document.
        $log = @(Get-Content $calls)
        $log[0] | Should -Be 'Install-Module AWS.Tools.S3 Force=True'
        $log[1] | Should -Be "Read-S3Object $bucket layers/AuroraSecurity-$version-layer.zip" -Because 'the script reads the layer of this version'
        $writes = @($log | Where-Object { $_ -like 'Write-S3Object *' } | ForEach-Object { ($_ -split ' ')[2] })
        $log.Count | Should -Be (2 + $writes.Count)

        # The same audit, run here with the same keys, is what the payload counts and the documents hold.
        $direct = @(Invoke-AuroraSecurityAudit -AccessKey $role.AccessKeyId -SecretKey $role.SecretAccessKey -SessionToken $role.Token -Region $region -EndpointUrl $Double.Endpoint)
        $direct.Count | Should -BeGreaterThan 0
        $step.Payload.Findings | Should -Be $direct.Count
        $step.Payload.Failed | Should -Be @($direct | Where-Object { "$($_.Status)" -eq 'Fail' }).Count
        $step.Payload.Failed | Should -BeGreaterThan 0
        $step.Payload.AsffDocuments | Should -Be $writes.Count
        $writes.Count | Should -Be ([math]::Ceiling($direct.Count / 100))
        # Each output's selector finds a value of its type in the payload.
        foreach ($output in $runbook.Step.outputs) {
            $value = $step.Payload.($output.Selector -replace '^\$\.Payload\.', '')
            $value | Should -Not -BeNullOrEmpty -Because "output $($output.Name) selects $($output.Selector)"
            if ($output.Type -eq 'Integer') { $value | Should -BeOfType [long] }
        }

        # The objects: under asff/<date>/, allowed by the page's bucket policy, each an ASFF document valid for Security Hub.
        $policy = (Get-RunbookBlock | Where-Object { $_.Language -eq 'json' -and $_.Code -match '"AsffWrite"' }).Code | ConvertFrom-Json
        $schema = Get-Content (Join-Path $PSScriptRoot 'schemas/asff-finding.schema.json') -Raw
        "arn:aws:s3:::$bucket/layers/AuroraSecurity-$version-layer.zip" | Should -BeLike ($policy.Statement | Where-Object Sid -eq 'LayerRead').Resource
        $asff = @(foreach ($key in $writes) {
                $key | Should -Match '^asff/\d{4}-\d{2}-\d{2}/asff-\d+\.json$'
                "arn:aws:s3:::$bucket/$key" | Should -BeLike ($policy.Statement | Where-Object Sid -eq 'AsffWrite').Resource
                @((Get-Content (Join-Path $s3 $bucket $key) -Raw | ConvertFrom-Json -DateKind String).Findings)
            })
        $asff.Count | Should -Be $direct.Count
        ($asff.Id | Sort-Object -Unique).Count | Should -Be $direct.Count
        foreach ($finding in $asff) {
            $finding.AwsAccountId | Should -Be '888888888888'
            Test-Json -Json ($finding | ConvertTo-Json -Depth 10) -Schema $schema -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeTrue -Because "$($finding.Id): $($problems.Exception.Message)"
        }
        $output | Should -Not -Match ([regex]::Escape($role.SecretAccessKey))
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

# The module as an AWS Lambda layer for the PowerShell runtime (build/New-LambdaLayer.ps1, ./build.ps1 -Task LambdaLayer): its layout,
# an import from the extracted layer with the module's own load context, and the example handler run as the runtime runs it, with
# the execution role's keys in the environment, against the doubles.
BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Version = (Read-ManifestData $ModuleManifest).ModuleVersion
    $script:Layer = Join-Path $TestDrive 'AuroraSecurity-layer.zip'
    $written = & (Join-Path $RepoRoot 'build/New-LambdaLayer.ps1') -ModuleFolder (Split-Path $ModuleManifest) -OutputPath $Layer
    $written | Should -Be $Layer
    # Lambda extracts a layer to /opt; the PowerShell runtime puts /opt/modules on PSModulePath.
    $script:Opt = Join-Path $TestDrive 'opt'
    Expand-Archive -Path $Layer -DestinationPath $Opt
    $script:LayerModule = Join-Path $Opt "modules/AuroraSecurity/$Version"

    # Runs a script in a fresh PowerShell whose PSModulePath is the runtime's: the layer's modules first.
    function Invoke-InLambdaShell([string] $Script) {
        Invoke-NonInteractivePowerShell ("`$env:PSModulePath = '$Opt/modules' + [IO.Path]::PathSeparator + `$env:PSModulePath`n" + $Script)
    }
}

Describe 'The Lambda layer' -Tag 'None' {
    It 'holds the module at modules/AuroraSecurity/<version>/: the manifest of that version, the .NET 8 build and its assemblies' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Layer)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        $prefix = "modules/AuroraSecurity/$Version/"
        $entries | Where-Object { -not $_.StartsWith($prefix) } | Should -BeNullOrEmpty
        foreach ($file in 'AuroraSecurity.psd1', 'AuroraSecurity.Format.ps1xml', 'en-US/AuroraSecurity.PowerShell.dll-Help.xml',
            'net8.0/AuroraSecurity.PowerShell.dll', 'net8.0/Dependencies/AuroraSecurity.dll', 'net8.0/Dependencies/AWSSDK.Core.dll',
            'net8.0/Dependencies/AWSSDK.SecurityToken.dll', 'net8.0/Dependencies/AWSSDK.SSO.dll', 'net8.0/Dependencies/AWSSDK.SSOOIDC.dll',
            'net8.0/Dependencies/AWSSDK.EC2.dll', 'net8.0/Dependencies/MySqlConnector.dll') {
            $entries | Should -Contain ($prefix + $file)
        }
        $entries | Where-Object { $_ -like '*netstandard2.0*' } | Should -BeNullOrEmpty -Because 'the runtime is PowerShell 7'
        $entries | Where-Object { $_ -like '*System.Management.Automation.dll' } | Should -BeNullOrEmpty
        (Read-ManifestData (Join-Path $LayerModule 'AuroraSecurity.psd1')).ModuleVersion | Should -Be $Version
        (Test-ModuleManifest (Join-Path $LayerModule 'AuroraSecurity.psd1')).Version | Should -Be ([version]$Version)
    }

    It 'is found by name on the runtime''s module path and runs there, its engine and dependencies loaded from the layer' {
        $output = Invoke-InLambdaShell @'
Import-Module AuroraSecurity -ErrorAction Stop
'BASE ' + (Get-Module AuroraSecurity).ModuleBase
'CIPHERS ' + @(Get-AuroraSupportedCipher -EngineVersion 8.0.mysql_aurora.3.05.2 | Where-Object Supported).Count
$engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AuroraSecurity' } | Select-Object -First 1
'ENGINE ' + $engine.Location
'CONTEXT ' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name
'@
        $output | Should -Match ([regex]::Escape("BASE $LayerModule"))
        $output | Should -Match 'CIPHERS [1-9]'
        $output | Should -Match ([regex]::Escape("ENGINE $LayerModule/net8.0/Dependencies/AuroraSecurity.dll"))
        $output | Should -Not -Match 'CONTEXT Default' -Because 'the engine and its dependencies load into the module''s own context'
        $output | Should -Match 'CONTEXT \S+'
    }
}

Describe 'examples/lambda/handler.ps1' -Tag 'RdsDouble' {
    BeforeAll {
        $script:Double = Start-RdsDouble
        # Temporary keys with a session token, as Lambda gives its execution role's (the double's container credentials, account 888888888888).
        $script:Role = Invoke-RestMethod -Uri ($Double.Endpoint + 'container-credentials')
        $script:Handler = Join-Path $RepoRoot 'examples/lambda/handler.ps1'
        $script:Event = Join-Path $RepoRoot 'examples/lambda/sample-event.json'
        $script:Schema = Get-Content (Join-Path $PSScriptRoot 'schemas/asff-finding.schema.json') -Raw
    }
    AfterAll { Stop-RdsDouble $Double }

    It 'audits the account with the execution role''s keys from the environment, writes ASFF for Security Hub and returns the summary' {
        $asffFolder = Join-Path $TestDrive 'asff'
        $output = Invoke-InLambdaShell @"
`$ErrorActionPreference = 'Stop'
# The environment Lambda gives the function (keys of the execution role, its region) and an endpoint override for every service.
foreach (`$name in 'AWS_PROFILE', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL_RDS', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_STS', 'AWS_CONTAINER_CREDENTIALS_FULL_URI') { Remove-Item "Env:\`$name" -ErrorAction SilentlyContinue }
`$env:AWS_ACCESS_KEY_ID = '$($Role.AccessKeyId)'
`$env:AWS_SECRET_ACCESS_KEY = '$($Role.SecretAccessKey)'
`$env:AWS_SESSION_TOKEN = '$($Role.Token)'
`$env:AWS_REGION = 'us-east-1'
`$env:AWS_ENDPOINT_URL = '$($Double.Endpoint)'
`$env:AWS_EC2_METADATA_DISABLED = 'true'
`$env:AWS_CONFIG_FILE = '$TestDrive/no-config'
`$env:AWS_SHARED_CREDENTIALS_FILE = '$TestDrive/no-credentials'
`$env:LAMBDA_TASK_ROOT = '$(Split-Path $Handler)'
`$env:AURORA_ASFF_FOLDER = '$asffFolder'
. '$Handler'
`$LambdaInput = Get-Content '$Event' -Raw | ConvertFrom-Json
`$response = Invoke-AuroraAuditHandler `$LambdaInput `$null
# The runtime returns what the handler gives, as JSON.
'RESPONSE ' + (ConvertTo-Json -InputObject `$response -Compress)
'MODULE ' + (Get-Module AuroraSecurity).ModuleBase
foreach (`$name in 'AuroraSecurity', 'AWSSDK.Core') {
    'ASSEMBLY ' + `$name + ' ' + ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq `$name } | Select-Object -First 1).Location
}
"@
        $output | Should -Match ([regex]::Escape("MODULE $LayerModule")) -Because 'the handler uses the module from the layer'
        foreach ($name in 'AuroraSecurity', 'AWSSDK.Core') {
            $output | Should -Match ([regex]::Escape("ASSEMBLY $name $LayerModule/net8.0/Dependencies/$name.dll")) -Because 'the module''s load context loads its assemblies from the layer'
        }
        $line = ($output -split "`n" | Where-Object { $_ -like 'RESPONSE *' } | Select-Object -Last 1)
        $line | Should -Not -BeNullOrEmpty -Because "the handler returns a summary:`n$output"
        $summary = $line.Substring('RESPONSE '.Length) | ConvertFrom-Json

        # The same audit, run here with the same keys, is what the summary counts.
        $direct = @(Invoke-AuroraSecurityAudit -AccessKey $Role.AccessKeyId -SecretKey $Role.SecretAccessKey -SessionToken $Role.Token -Region us-east-1 -EndpointUrl $Double.Endpoint)
        $summary.Accounts | Should -Be @('888888888888')
        $summary.Regions | Should -Be @('us-east-1')
        $summary.Clusters | Should -Be 5
        $summary.Findings | Should -Be $direct.Count
        foreach ($group in $direct | Group-Object { "$($_.Status)" }) { $summary.ByStatus.($group.Name) | Should -Be $group.Count }
        $summary.FailedBySeverity.psobject.Properties.Value | Measure-Object -Sum | ForEach-Object Sum | Should -Be @($direct | Where-Object { "$($_.Status)" -eq 'Fail' }).Count
        $summary.Errors | Should -BeNullOrEmpty

        # ASFF: one document per 100 findings, every finding once, each valid for Security Hub, in the role's account.
        @($summary.AsffFiles).Count | Should -Be ([math]::Ceiling($direct.Count / 100))
        $asff = @(foreach ($file in $summary.AsffFiles) {
                $file | Should -BeLike "$asffFolder*"
                @((Get-Content $file -Raw | ConvertFrom-Json -DateKind String).Findings)
            })
        $asff.Count | Should -Be $direct.Count
        ($asff.Id | Sort-Object -Unique).Count | Should -Be $direct.Count
        foreach ($finding in $asff) {
            $finding.AwsAccountId | Should -Be '888888888888'
            $finding.Resources[0].Type | Should -Be 'AwsRdsDbCluster'
            Test-Json -Json ($finding | ConvertTo-Json -Depth 10) -Schema $Schema -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeTrue -Because "$($finding.Id): $($problems.Exception.Message)"
        }

        # Signed with the role's session keys; no secret or token in anything the function wrote.
        $rds = @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object service -in 'rds', 'ec2')
        $rds.Count | Should -BeGreaterThan 0
        $rds | ForEach-Object { $_.accessKeyId | Should -Be $Role.AccessKeyId }
        $output | Should -Not -Match ([regex]::Escape($Role.SecretAccessKey))
        $output | Should -Not -Match ([regex]::Escape($Role.Token))
    }

    It 'audits the accounts and regions an EventBridge rule''s detail names, each account with its role' {
        $rolesEvent = Join-Path $TestDrive 'roles-event.json'
        $detail = @{ RoleArn = @('arn:aws:iam::111111111111:role/AuroraAuditor'); Regions = @('us-east-1'); CheckId = @('AURSEC-TLS-001'); ClusterIdentifier = @('orders', 'legacy') }
        (Get-Content $Event -Raw | ConvertFrom-Json | ForEach-Object { $_.detail = $detail; $_ }) | ConvertTo-Json -Depth 5 | Set-Content $rolesEvent
        $output = Invoke-InLambdaShell @"
foreach (`$name in 'AWS_PROFILE', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL_RDS', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_STS') { Remove-Item "Env:\`$name" -ErrorAction SilentlyContinue }
`$env:AWS_ACCESS_KEY_ID = '$($Role.AccessKeyId)'
`$env:AWS_SECRET_ACCESS_KEY = '$($Role.SecretAccessKey)'
`$env:AWS_SESSION_TOKEN = '$($Role.Token)'
`$env:AWS_REGION = 'us-east-1'
`$env:AWS_ENDPOINT_URL = '$($Double.Endpoint)'
`$env:AWS_EC2_METADATA_DISABLED = 'true'
`$env:AURORA_ASFF_FOLDER = '$TestDrive/asff-roles'
. '$Handler'
'RESPONSE ' + (ConvertTo-Json -InputObject (Invoke-AuroraAuditHandler (Get-Content '$rolesEvent' -Raw | ConvertFrom-Json) `$null) -Compress)
"@
        $summary = ($output -split "`n" | Where-Object { $_ -like 'RESPONSE *' } | Select-Object -Last 1).Substring('RESPONSE '.Length) | ConvertFrom-Json
        $summary.Accounts | Should -Be @('111111111111')
        $summary.Clusters | Should -Be 2
        $summary.Findings | Should -Be 2
    }
}

<#
.SYNOPSIS
    An AWS Lambda function (PowerShell runtime) that audits the Aurora MySQL clusters of its account, writes the findings for
    AWS Security Hub (ASFF) and returns a summary.

.DESCRIPTION
    Handler: handler.ps1::Invoke-AuroraAuditHandler, with the AuroraSecurity layer (./build.ps1 -Task LambdaLayer) beside the
    PowerShell runtime layer: the runtime puts the layer's modules/ folder (/opt/modules) on PSModulePath.

    The function acts with its execution role, whose keys Lambda gives in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
    AWS_SESSION_TOKEN, in the region in AWS_REGION. Endpoint overrides (AWS_ENDPOINT_URL_RDS, _EC2, _STS) point it at VPC
    endpoints. Everything in the event is optional; an EventBridge event gives its settings in detail (or a rule's constant
    input replaces the event):
        Regions            regions to audit (the function's region when omitted)
        ClusterIdentifier  clusters to audit (every Aurora MySQL cluster when omitted)
        RoleArn            roles to assume, one per member account (the function's own account when omitted)
        ExternalId         the external id the roles' trust policies require
        CheckId            only these checks
        Baseline           a baseline file shipped in the function package (relative to LAMBDA_TASK_ROOT)

    The ASFF documents (at most 100 findings each, the input of securityhub:BatchImportFindings) go to the folder
    AURORA_ASFF_FOLDER names, aurora-asff in the temporary folder when unset (/tmp on Lambda, the only place a function may write). The summary gives the counts by status and severity, the clusters
    and accounts audited, the ASFF files and one line per error record.
#>

function Invoke-AuroraAuditHandler {
    param($LambdaInput, $LambdaContext)

    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    Import-Module AuroraSecurity

    # A scheduled EventBridge event carries the settings in detail; a direct invocation or a constant input carries them itself.
    $settings = if ($LambdaInput -and $LambdaInput.psobject.Properties['detail-type']) { $LambdaInput.detail } else { $LambdaInput }
    function Get-Setting([string] $Name) {
        if ($settings -and $settings.psobject.Properties[$Name]) { @($settings.$Name | Where-Object { $_ }) } else { @() }
    }

    $audit = @{ ErrorAction = 'Continue'; ErrorVariable = 'auditErrors' }
    foreach ($name in 'Regions', 'ClusterIdentifier', 'RoleArn', 'CheckId') {
        $value = Get-Setting $name
        if ($value.Count -gt 0) { $audit[$(if ($name -eq 'Regions') { 'Region' } else { $name })] = [string[]]$value }
    }
    $externalId = Get-Setting 'ExternalId'
    if ($externalId.Count -gt 0) { $audit.ExternalId = [string]$externalId[0] }
    $baseline = Get-Setting 'Baseline'
    if ($baseline.Count -gt 0) { $audit.Baseline = Join-Path ($env:LAMBDA_TASK_ROOT ?? (Get-Location).Path) $baseline[0] }

    $findings = @(Invoke-AuroraSecurityAudit @audit 2>$null)

    # Security Hub: one document per batch of at most 100 findings; the event's account stands in where a cluster ARN is missing.
    $folder = if ($env:AURORA_ASFF_FOLDER) { $env:AURORA_ASFF_FOLDER } else { [IO.Path]::Combine([IO.Path]::GetTempPath(), 'aurora-asff') }
    $null = New-Item -ItemType Directory -Force -Path $folder
    Get-ChildItem -Path $folder -Filter 'asff-*.json' | Remove-Item -Force
    $asff = @{}
    if ($LambdaInput -and $LambdaInput.psobject.Properties['account'] -and "$($LambdaInput.account)" -match '^\d{12}$') { $asff.AwsAccountId = "$($LambdaInput.account)" }
    $files = [System.Collections.Generic.List[string]]::new()
    foreach ($document in @($findings | ConvertTo-AuroraAsff @asff)) {
        $file = Join-Path $folder "asff-$($files.Count + 1).json"
        Set-Content -Path $file -Value $document -Encoding utf8NoBOM
        $files.Add($file)
    }

    $byStatus = [ordered]@{}
    foreach ($group in $findings | Group-Object { "$($_.Status)" } | Sort-Object Name) { $byStatus[$group.Name] = $group.Count }
    $failedBySeverity = [ordered]@{}
    foreach ($group in $findings | Where-Object { "$($_.Status)" -eq 'Fail' } | Group-Object { "$($_.Severity)" } | Sort-Object Name) { $failedBySeverity[$group.Name] = $group.Count }

    # What the runtime returns to the caller (as JSON): counts and names, never a credential.
    [ordered]@{
        Accounts         = @($findings | ForEach-Object AccountId | Where-Object { $_ } | Sort-Object -Unique)
        Regions          = @($findings | ForEach-Object Region | Sort-Object -Unique)
        Clusters         = @($findings | ForEach-Object { "$($_.AccountId)/$($_.Region)/$($_.ClusterIdentifier)" } | Sort-Object -Unique).Count
        Findings         = $findings.Count
        ByStatus         = $byStatus
        FailedBySeverity = $failedBySeverity
        AsffFiles        = @($files)
        Errors           = @($auditErrors | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" })
    }
}

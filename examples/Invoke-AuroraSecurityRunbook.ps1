<#
.SYNOPSIS
    A compliance run over Aurora MySQL clusters: audit, apply the team's baseline (settings and suppressions), write the
    findings for AWS Security Hub (ASFF) and an HTML report for people, and show (or make) the repairs.

.DESCRIPTION
    1. Invoke-AuroraSecurityAudit, with the baseline: suppressed findings show Suppressed with their justification.
    2. ConvertTo-AuroraAsff: one JSON document per 100 findings, asff-1.json, asff-2.json, ... in -OutputFolder, each ready
       for `aws securityhub batch-import-findings --cli-input-json file://asff-1.json`.
    3. Export-AuroraSecurityReport: aurora-security.html in -OutputFolder, one self-contained file.
    4. With -Repair: the failed findings go to Repair-AuroraSecurityFinding under -WhatIf (nothing is sent); add
       -ApplyRepairs to make the changes (with -Force: a runbook cannot answer the extra question for shared groups).

    Returns one summary object: the counts by status, the files written and the repair results.

.EXAMPLE
    Import-Module AuroraSecurity
    ./examples/Invoke-AuroraSecurityRunbook.ps1 -Region eu-west-1 -Baseline ./aurora-baseline.psd1 -OutputFolder ./aurora-run -Repair

.EXAMPLE
    # Every parameter of the AuroraSecurity cmdlets' AWS set passes through -AwsParameters (a profile, an endpoint).
    ./examples/Invoke-AuroraSecurityRunbook.ps1 -OutputFolder ./aurora-run -AwsParameters @{ ProfileName = 'audit'; Region = 'eu-west-1' }
#>
[CmdletBinding()]
param(
    # The folder the ASFF documents and the HTML report go to (created when missing).
    [Parameter(Mandatory)] [string] $OutputFolder,
    # Clusters to audit; every Aurora MySQL cluster of the region when omitted.
    [string[]] $ClusterIdentifier,
    # The AWS region; the usual lookup (AWS.Tools' order) when omitted.
    [string] $Region,
    # The team's baseline file (.psd1 or .json): settings, switched-off checks, scopes and suppressions.
    [string] $Baseline,
    # The AWS account for ASFF when a cluster ARN does not name one.
    [string] $AwsAccountId,
    # Show the repairs of the failed findings (-WhatIf: nothing is sent).
    [switch] $Repair,
    # With -Repair: make the changes.
    [switch] $ApplyRepairs,
    # More AWS parameters for every cmdlet (ProfileName, EndpointUrl, AccessKey/SecretKey, ...).
    [hashtable] $AwsParameters = @{}
)

$ErrorActionPreference = 'Stop'
if ($ApplyRepairs -and -not $Repair) { throw '-ApplyRepairs makes the changes -Repair shows: add -Repair.' }

$aws = @{} + $AwsParameters
if ($Region) { $aws.Region = $Region }
$null = New-Item -ItemType Directory -Force -Path $OutputFolder
$OutputFolder = (Resolve-Path $OutputFolder).Path

# 1. The audit, with the baseline's settings and suppressions.
$audit = @{} + $aws
if ($ClusterIdentifier) { $audit.ClusterIdentifier = $ClusterIdentifier }
if ($Baseline) { $audit.Baseline = $Baseline }
$findings = @(Invoke-AuroraSecurityAudit @audit)

# 2. Security Hub: one document per batch of at most 100 findings.
$asff = @{}
if ($AwsAccountId) { $asff.AwsAccountId = $AwsAccountId }
$asffFiles = [System.Collections.Generic.List[string]]::new()
foreach ($document in @($findings | ConvertTo-AuroraAsff @asff)) {
    $file = Join-Path $OutputFolder "asff-$($asffFiles.Count + 1).json"
    Set-Content -Path $file -Value $document -Encoding utf8NoBOM
    $asffFiles.Add($file)
}

# 3. The report for people.
$report = $findings | Export-AuroraSecurityReport -Path (Join-Path $OutputFolder 'aurora-security.html') -Title 'Aurora MySQL security'

# 4. Repairs of what failed: shown, or made.
$repairs = @()
if ($Repair) {
    $failed = @($findings | Where-Object Status -eq Fail)
    if ($failed.Count -gt 0) {
        $repairParameters = @{} + $aws
        if ($Baseline) { $repairParameters.Baseline = $Baseline }
        $repairs = if ($ApplyRepairs) {
            @($failed | Repair-AuroraSecurityFinding @repairParameters -Force -Confirm:$false)
        }
        else {
            @($failed | Repair-AuroraSecurityFinding @repairParameters -WhatIf)
        }
    }
}

$byStatus = [ordered]@{}
foreach ($group in $findings | Group-Object { "$($_.Status)" } | Sort-Object Name) { $byStatus[$group.Name] = $group.Count }
[pscustomobject]@{
    Findings = $findings.Count
    ByStatus = [pscustomobject]$byStatus
    Asff     = $asffFiles.ToArray()
    Report   = $report.FullName
    Repairs  = $repairs
}

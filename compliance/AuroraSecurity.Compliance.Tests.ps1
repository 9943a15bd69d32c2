# The AuroraSecurity compliance pack: one Pester test per finding of Invoke-AuroraSecurityAudit, grouped by cluster.
#   Invoke-Pester -Container (New-PesterContainer -Path <this file> -Data @{ ClusterIdentifier = 'orders'; AwsParameters = @{ Region = 'eu-west-1' } })
#   Inside the database and on the wire as well:
#   -Data @{ AwsParameters = @{ Region = 'eu-west-1' }; SqlCredential = { Get-Secret "aurora/$($_.ClusterIdentifier)" }; SslCa = './global-bundle.pem'; ProbeEndpoint = $true }
#   or with no password in the script: DbUser = 'auditor' (IAM database authentication) or UseManagedMasterSecret = $true.
# Each cluster is a Context of its own; each test is named '<CheckId> <Title>' and tagged with its check id, its severity
# and the check's references, so -TagFilter / -ExcludeTagFilter select by any of them.
# Fail and Error fail the test; the failure message is the finding's reason and recommendation, nothing else. Warning
# is reported as Inconclusive and NotApplicable as Skipped, each with its reason: neither fails a run, both stay in
# the results (NUnit3 output carries those reasons and the tags; Pester's NUnit 2.5 format has no place for either).
# With a Baseline, a finding it suppresses is Skipped with the justification and the expiry date.
# A cluster that cannot be audited, and an audit that cannot run at all (no region, a bad parameter), is one failed
# test that says why, never an empty run.
param(
    # Clusters to audit (identifiers or ARNs); every Aurora MySQL cluster of the region when omitted.
    [string[]] $ClusterIdentifier,

    # Passed to Invoke-AuroraSecurityAudit as they are: Region, ProfileName, EndpointUrl, AccessKey, SecretKey, ...
    [hashtable] $AwsParameters = @{},

    # Only these checks (ids, wildcards allowed); every check when omitted.
    [string[]] $CheckId,

    # Leaves out these checks (ids, wildcards allowed), for example controls a team has accepted.
    [string[]] $ExcludeCheckId,

    # Leaves out checks below this severity: Low (every check, the default), Medium or High.
    [string] $MinimumSeverity = 'Low',

    # The database login for the SQL checks: a PSCredential, a hashtable of cluster identifier (or '*') to PSCredential,
    # or a script block that returns the cluster's PSCredential (for example from Get-Secret). Without it the SQL checks are skipped.
    [object] $SqlCredential,

    # Log in with IAM database authentication as this database user instead of a password (needs rds-db:connect).
    [string] $DbUser,

    # Log in as each cluster's master user with the login RDS manages for it in Secrets Manager (MasterUserSecret).
    [bool] $UseManagedMasterSecret,

    # The CA bundle the SQL connections verify the servers against (the RDS global bundle).
    [string] $SslCa,

    # Probe the cluster and instance endpoints with TLS handshakes; without it the probe checks are skipped.
    [bool] $ProbeEndpoint,

    # A baseline file (.psd1 or .json) for the audit: settings, checks switched off, scopes and suppressions.
    [string] $Baseline
)

BeforeDiscovery {
    # A finding that failed: the message is its reason and recommendation only (a Should operator, so Pester shows
    # no exception type in front of it).
    $assertion = {
        param($ActualValue, [switch] $Negate, [string] $Because)
        [pscustomobject]@{ Succeeded = [bool]$Negate; FailureMessage = [string]$ActualValue }
    }
    if (-not (Get-ShouldOperator | Where-Object Name -eq 'FailAuroraCheck')) {
        Add-ShouldOperator -Name FailAuroraCheck -Test $assertion
    }

    function Join-Message([string] $Reason, [string] $Recommendation) {
        if ([string]::IsNullOrWhiteSpace($Recommendation)) { return $Reason }
        "$($Reason.TrimEnd()) Recommendation: $Recommendation"
    }

    $runProblems = [System.Collections.Generic.List[hashtable]]::new()
    $groups = [ordered]@{}
    function Get-Group([string] $Name) {
        if (-not $groups.Contains($Name)) {
            $groups[$Name] = @{ ClusterIdentifier = $Name; Cases = [System.Collections.Generic.List[hashtable]]::new(); Problems = [System.Collections.Generic.List[hashtable]]::new() }
        }
        $groups[$Name]
    }

    try {
        if (-not (Get-Command Invoke-AuroraSecurityAudit -ErrorAction SilentlyContinue)) {
            Import-Module (Join-Path (Split-Path $PSScriptRoot) 'AuroraSecurity.psd1') -ErrorAction Stop
        }

        $rank = @{ Low = 0; Medium = 1; High = 2 }
        if (-not $rank.ContainsKey([string]$MinimumSeverity)) {
            throw "MinimumSeverity '$MinimumSeverity' is not a severity: use Low, Medium or High."
        }

        $catalogue = @(Get-AuroraSecurityCheck)
        foreach ($pattern in @($CheckId) + @($ExcludeCheckId) | Where-Object { $_ }) {
            if (-not ($catalogue | Where-Object { $_.Id -like $pattern })) {
                throw "'$pattern' names no check of the catalogue: Get-AuroraSecurityCheck lists them (for example $($catalogue[0].Id))."
            }
        }

        $checks = @{}
        foreach ($check in $catalogue) {
            $id = $check.Id
            if ($CheckId -and -not ($CheckId | Where-Object { $id -like $_ })) { continue }
            if ($ExcludeCheckId | Where-Object { $id -like $_ }) { continue }
            if ($rank[[string]$check.Severity] -lt $rank[[string]$MinimumSeverity]) { continue }
            $checks[$id] = $check
        }
        if ($checks.Count -eq 0) {
            throw "No check is left after CheckId, ExcludeCheckId and MinimumSeverity $MinimumSeverity`: widen one of them."
        }

        $audit = @{} + $AwsParameters
        if ($checks.Count -lt $catalogue.Count) { $audit.CheckId = [string[]]$checks.Keys }
        if ($Baseline) { $audit.Baseline = $Baseline }
        if ($ClusterIdentifier) { $audit.ClusterIdentifier = $ClusterIdentifier }
        if ($SqlCredential) { $audit.SqlCredential = $SqlCredential }
        if ($DbUser) { $audit.IamAuthentication = $true; $audit.DbUser = $DbUser }
        if ($UseManagedMasterSecret) { $audit.UseManagedMasterSecret = $true }
        if ($SslCa) { $audit.SslCa = $SslCa }
        if ($ProbeEndpoint) { $audit.ProbeEndpoint = $true }
        $auditErrors = @()
        $findings = @(Invoke-AuroraSecurityAudit @audit -ErrorAction SilentlyContinue -ErrorVariable auditErrors)

        foreach ($finding in $findings) {
            $check = $checks[$finding.CheckId]
            if (-not $check) { continue }
            $references = if ($check -and $check.PSObject.Properties['References']) { @($check.References | ForEach-Object { [string]$_ } | Where-Object { $_ }) } else { @() }
            $group = Get-Group $finding.ClusterIdentifier
            $group.Cases.Add(@{
                    CheckId        = $finding.CheckId
                    Title          = $finding.Title
                    Severity       = [string]$finding.Severity
                    Status         = [string]$finding.Status
                    Message        = Join-Message $finding.Reason $finding.Recommendation
                    Reason         = $finding.Reason
                    Suppression    = if ([string]$finding.Status -eq 'Suppressed') {
                        $until = if ($finding.SuppressionExpires) { $finding.SuppressionExpires.ToString('yyyy-MM-dd') } else { '' }
                        "suppressed by the baseline until $until ($([string]$finding.SuppressedStatus)): $($finding.Justification)"
                    }
                    Tags           = @($finding.CheckId, [string]$finding.Severity) + $references
                })
        }

        foreach ($record in $auditErrors) {
            $target = [string]$record.TargetObject
            $problem = @{ Message = $record.Exception.Message }
            if ($target -and -not ($target -match '\s')) { (Get-Group $target).Problems.Add($problem) } else { $runProblems.Add($problem) }
        }

        if ($groups.Count -eq 0 -and $runProblems.Count -eq 0) {
            $where = if ($AwsParameters.Region) { " in $($AwsParameters.Region)" } else { '' }
            $runProblems.Add(@{ Message = "The audit found no Aurora MySQL cluster$where, so nothing was checked: name clusters with ClusterIdentifier, or check AwsParameters (Region, ProfileName)." })
        }
    }
    catch {
        $runProblems.Add(@{ Message = "The audit could not run: $($_.Exception.Message)" })
    }

    $clusters = @($groups.Values)
}

Describe 'Aurora MySQL security' -Tag 'AuroraSecurity' {
    It 'runs the audit' -ForEach $runProblems {
        $Message | Should -FailAuroraCheck
    }

    Context '<ClusterIdentifier>' -ForEach $clusters {
        # One It per finding, not one -ForEach It: test results then carry each test's own tags (NUnit3 writes the tags
        # of a data-driven It once, from its first case). Each test's body holds its verdict as text.
        foreach ($case in $Cases) {
            $quote = { param([string] $Text) "'" + ($Text -replace "'", "''") + "'" }
            $body = switch ($case.Status) {
                'Pass' { '' }
                'NotApplicable' { "Set-ItResult -Skipped -Because $(& $quote $case.Reason)" }
                'Suppressed' { "Set-ItResult -Skipped -Because $(& $quote $case.Suppression)" }
                'Warning' { "Set-ItResult -Inconclusive -Because $(& $quote $case.Message)" }
                default { "$(& $quote $case.Message) | Should -FailAuroraCheck" }
            }
            It "$($case.CheckId) $($case.Title)" -Tag $case.Tags ([scriptblock]::Create($body))
        }

        It 'can be audited' -ForEach $Problems {
            $Message | Should -FailAuroraCheck
        }
    }
}

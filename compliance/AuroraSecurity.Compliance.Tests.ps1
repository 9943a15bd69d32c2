# The AuroraSecurity compliance pack: one Pester test per finding of Invoke-AuroraSecurityAudit.
#   Invoke-Pester -Container (New-PesterContainer -Path <this file> -Data @{ ClusterIdentifier = 'orders'; AwsParameters = @{ Region = 'eu-west-1' } })
#   Inside the database and on the wire as well:
#   -Data @{ AwsParameters = @{ Region = 'eu-west-1' }; SqlCredential = { Get-Secret "aurora/$($_.ClusterIdentifier)" }; SslCa = './global-bundle.pem'; ProbeEndpoint = $true }
# Fail and Error fail the test, with the reason and the recommendation in the message. Warning is reported as
# Inconclusive and NotApplicable as Skipped, each with its reason: neither fails a run, both stay visible in the results.
# With a Baseline, a finding it suppresses is Skipped with the justification and the expiry date.
param(
    # Clusters to audit (identifiers or ARNs); every Aurora MySQL cluster of the region when omitted.
    [string[]] $ClusterIdentifier,

    # Passed to Invoke-AuroraSecurityAudit as they are: Region, ProfileName, EndpointUrl, AccessKey, SecretKey, ...
    [hashtable] $AwsParameters = @{},

    # Only these checks; every check when omitted.
    [string[]] $CheckId,

    # The database login for the SQL checks: a PSCredential, a hashtable of cluster identifier (or '*') to PSCredential,
    # or a script block that returns the cluster's PSCredential (for example from Get-Secret). Without it the SQL checks are skipped.
    [object] $SqlCredential,

    # The CA bundle the SQL connections verify the servers against (the RDS global bundle).
    [string] $SslCa,

    # Probe the cluster and instance endpoints with TLS handshakes; without it the probe checks are skipped.
    [bool] $ProbeEndpoint,

    # A baseline file (.psd1 or .json) for the audit: settings, checks switched off, scopes and suppressions.
    [string] $Baseline
)

BeforeDiscovery {
    if (-not (Get-Command Invoke-AuroraSecurityAudit -ErrorAction SilentlyContinue)) {
        Import-Module (Join-Path (Split-Path $PSScriptRoot) 'AuroraSecurity.psd1') -ErrorAction Stop
    }

    $audit = @{} + $AwsParameters
    if ($ClusterIdentifier) { $audit.ClusterIdentifier = $ClusterIdentifier }
    if ($CheckId) { $audit.CheckId = $CheckId }
    if ($Baseline) { $audit.Baseline = $Baseline }
    if ($SqlCredential) { $audit.SqlCredential = $SqlCredential }
    if ($SslCa) { $audit.SslCa = $SslCa }
    if ($ProbeEndpoint) { $audit.ProbeEndpoint = $true }
    $auditErrors = @()
    $findings = @(Invoke-AuroraSecurityAudit @audit -ErrorAction SilentlyContinue -ErrorVariable auditErrors)

    $cases = foreach ($finding in $findings) {
        @{
            ClusterIdentifier = $finding.ClusterIdentifier
            CheckId           = $finding.CheckId
            Title             = $finding.Title
            Severity          = [string]$finding.Severity
            Status            = [string]$finding.Status
            Reason            = $finding.Reason
            Recommendation    = $finding.Recommendation
            Justification     = $finding.Justification
            SuppressedStatus  = [string]$finding.SuppressedStatus
            Expires           = if ($finding.SuppressionExpires) { $finding.SuppressionExpires.ToString('yyyy-MM-dd') } else { '' }
        }
    }
    $problems = foreach ($record in $auditErrors) {
        @{ Target = [string]$record.TargetObject; Message = $record.Exception.Message }
    }
}

Describe 'Aurora MySQL security' -Tag 'AuroraSecurity' {
    It '<ClusterIdentifier> <CheckId> <Title>' -ForEach $cases {
        switch ($Status) {
            'Pass' { }
            'NotApplicable' { Set-ItResult -Skipped -Because $Reason }
            'Suppressed' { Set-ItResult -Skipped -Because "suppressed by the baseline until $Expires ($SuppressedStatus): $Justification" }
            'Warning' { Set-ItResult -Inconclusive -Because "$Reason Recommendation: $Recommendation" }
            default { throw "[$Severity] $Status`: $Reason Recommendation: $Recommendation" }
        }
    }

    It 'audits <Target>' -ForEach $problems {
        throw $Message
    }
}

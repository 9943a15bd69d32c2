# Default table views as a DBA sees them in an 80- and a 120-column console: the verdict in the first column, every
# header on one line (never "Memb/ers"), no line wider than the console, the reason on screen, unknown said as unknown.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
    $script:Sandbox = Get-TestSandbox
    $script:Credential = New-SandboxCredential $Sandbox
    $script:Session = Connect-AuroraMySql -Endpoint $Sandbox.host -Port $Sandbox.port -SqlCredential $Credential -SslCa $Sandbox.caFile

    # The table as Out-Default would print it at $Width columns: header lines, labels and each row's cells by label.
    function Get-TableLayout([object[]] $InputObject, [int] $Width) {
        $lines = @(($InputObject | Out-String -Width $Width) -split '\r?\n' | Where-Object { $_.Trim() })
        $rule = 0
        while ($rule -lt $lines.Count -and $lines[$rule] -notmatch '^[\s-]+$') { $rule++ }
        # A column runs from the start of its rule to the start of the next one (the rule is only as long as the label).
        $dashes = @([regex]::Matches($lines[$rule], '-+'))
        $spans = for ($i = 0; $i -lt $dashes.Count; $i++) {
            $end = if ($i + 1 -lt $dashes.Count) { $dashes[$i + 1].Index } else { [int]::MaxValue }
            $start = if ($i -eq 0) { 0 } else { $dashes[$i].Index }
            [pscustomobject]@{ Start = $start; Length = $end - $start }
        }
        function Get-Cell([string] $Line, $Span) {
            if ($Line.Length -le $Span.Start) { return '' }
            $Line.Substring($Span.Start, [Math]::Min($Span.Length, $Line.Length - $Span.Start)).Trim()
        }
        $labels = @($spans | ForEach-Object { Get-Cell $lines[0] $_ })
        $rows = foreach ($line in $lines[($rule + 1)..($lines.Count - 1)]) {
            $row = [ordered]@{}
            for ($i = 0; $i -lt $spans.Count; $i++) { $row[$labels[$i]] = Get-Cell $line $spans[$i] }
            [pscustomobject]$row
        }
        [pscustomobject]@{ HeaderLines = $rule; Labels = $labels; Rows = @($rows); Lines = $lines }
    }

    # Checks one view at both widths and returns the two layouts.
    function Assert-View([object[]] $InputObject, [string[]] $Labels) {
        foreach ($width in 80, 120) {
            $layout = Get-TableLayout $InputObject $width
            $layout.HeaderLines | Should -Be 1 -Because "every header fits on one line at $width columns"
            $layout.Labels | Should -Be $Labels -Because "every column shows at $width columns, the verdict first"
            foreach ($line in $layout.Lines) { $line.Length | Should -BeLessOrEqual $width }
            $layout
        }
    }
}

AfterAll {
    if ($Session) { $Session | Disconnect-AuroraMySql }
    Stop-RdsDouble $Double
}

Describe 'Default views at 80 and 120 columns' -Tag 'MariaDB', 'RdsDouble' {
    It 'Invoke-AuroraSecurityAudit leads with the status and shows the reason' {
        $findings = @(Invoke-AuroraSecurityAudit -ClusterIdentifier legacy @Aws)
        $fail = $findings | Where-Object CheckId -eq 'AURSEC-TLS-001'
        foreach ($layout in Assert-View $findings 'Status', 'Severity', 'ClusterIdentifier', 'CheckId', 'Reason') {
            $row = $layout.Rows | Where-Object CheckId -eq 'AURSEC-TLS-001'
            $row.Status | Should -Be 'Fail'
            $row.Reason | Should -Not -BeNullOrEmpty
            $fail.Reason | Should -BeLike "$($row.Reason.TrimEnd([char]0x2026))*"
        }
    }

    It 'Get-AuroraTlsConfig says (default) where the engine default applies and unknown where RDS did not say' {
        $configs = @(Get-AuroraTlsConfig @Aws)
        $layouts = Assert-View $configs 'ClusterIdentifier', 'SecureTransport', 'TlsVersion', 'Ciphers', 'PendingReboot'
        foreach ($layout in $layouts) {
            foreach ($config in $configs) {
                $row = $layout.Rows | Where-Object ClusterIdentifier -eq $config.ClusterIdentifier
                $tls = if (-not $config.TlsVersionKnown) { 'unknown' } elseif ($config.TlsVersion) { $config.TlsVersion } else { '(default)' }
                $row.TlsVersion | Should -Be $tls -Because $config.ClusterIdentifier
                $ciphers = if (-not $config.SslCipherKnown) { 'unknown' } elseif ($config.SslCipher.Count) { [string]$config.SslCipher.Count } else { '(default)' }
                $row.Ciphers | Should -Be $ciphers -Because $config.ClusterIdentifier
            }
            @($layout.Rows | Where-Object TlsVersion -eq '(default)').Count | Should -BeGreaterThan 0
            $layout.Rows.Ciphers | Should -Not -Contain '0'
        }
    }

    It 'the change cmdlets lead with the change' {
        $results = @(Enable-AuroraSecureTransport -ClusterIdentifier legacy, orders -WhatIf @Aws)
        foreach ($layout in Assert-View $results 'Change', 'ClusterIdentifier', 'SecureTransport', 'TlsVersion', 'Ciphers') {
            $layout.Rows.Change | Should -Be @('WhatIf', 'WhatIf', 'WhatIf')
            $layout.Rows.ClusterIdentifier | Should -Be @('legacy', 'billing', 'orders')
        }
    }

    It 'Get-AuroraCluster keeps Members and IamAuth whole' {
        Assert-View @(Get-AuroraCluster @Aws) 'ClusterIdentifier', 'EngineVersion', 'Status', 'Members', 'IamAuth' | Out-Null
    }

    It 'Test-AuroraTlsConnection leads with Verified and says why a login failed' {
        $wrong = [pscredential]::new($Credential.UserName, (ConvertTo-SecureString 'Not-The-Password-1' -AsPlainText -Force))
        $reports = @(
            Test-AuroraTlsConnection -Endpoint $Sandbox.host -Port $Sandbox.port -SqlCredential $Credential -SslCa $Sandbox.caFile -WarningAction SilentlyContinue
            Test-AuroraTlsConnection -Endpoint $Sandbox.host -Port $Sandbox.port -SqlCredential $wrong -SslCa $Sandbox.caFile -WarningAction SilentlyContinue
            Test-AuroraTlsConnection -Endpoint $Sandbox.host -Port $Sandbox.port -ServerName other.cluster-xyz.eu-west-1.rds.amazonaws.com -SqlCredential $Credential -SslCa $Sandbox.caFile -WarningAction SilentlyContinue
        )
        foreach ($layout in Assert-View $reports 'Verified', 'Connected', 'Endpoint', 'TlsProtocol', 'InsecureRefused', 'Reason') {
            $layout.Rows[0].Verified | Should -Be 'True'
            $layout.Rows[1].Verified | Should -Be 'False'
            $layout.Rows[2].Verified | Should -Be 'False'
            $layout.Rows[1].Reason | Should -Not -BeNullOrEmpty
            $layout.Rows[2].Reason | Should -Not -BeNullOrEmpty
            $layout.Rows[1].Reason | Should -Not -Be $layout.Rows[2].Reason -Because 'a wrong password and a name mismatch read differently'
        }
    }

    It 'Test-AuroraTlsEndpoint leads with the status' {
        $results = @(Test-AuroraTlsEndpoint -Endpoint $Sandbox.host -Port $Sandbox.port -TlsVersion TLSv1.2, TLSv1.3)
        foreach ($layout in Assert-View $results 'Status', 'Kind', 'Name', 'Negotiated', 'Detail') {
            ($layout.Rows | Where-Object Name -eq 'TLSv1.2').Status | Should -Be 'Accepted'
        }
    }

    It 'Get-AuroraSupportedCipher leads with Supported' {
        foreach ($layout in Assert-View @(Get-AuroraSupportedCipher -EngineVersion 2.11.2) 'Supported', 'Cipher', 'Protocol', 'Reason') {
            $layout.Rows.Supported | Should -Contain 'False'
        }
    }

    It 'Invoke-RdsKill leads with the result and says why' {
        $results = @(Invoke-RdsKill -Session $Session -Id $Session.ConnectionId -Force -WarningAction SilentlyContinue)
        foreach ($layout in Assert-View $results 'Result', 'Id', 'User', 'Host', 'Action', 'Reason') {
            $layout.Rows[0].Result | Should -Be 'Refused'
            $layout.Rows[0].Reason | Should -Not -BeNullOrEmpty
        }
    }

    It 'Get-AuroraSecurityCheck shows id, severity, title and references' {
        foreach ($layout in Assert-View @(Get-AuroraSecurityCheck -CheckId AURSEC-TLS-001, AURSEC-BAK-001) 'Id', 'Severity', 'Title', 'References') {
            $layout.Rows.Id | Should -Be @('AURSEC-TLS-001', 'AURSEC-BAK-001')
        }
    }

    It 'Connect-AuroraMySql shows where it is connected and how' {
        foreach ($layout in Assert-View @($Session) 'Endpoint', 'Port', 'User', 'Version', 'SslMode', 'TlsProtocol', 'TlsCipher') {
            $layout.Rows[0].TlsProtocol | Should -Match '^Tls'
        }
    }

    It 'Get-AuroraSession keeps every header on one line' {
        $other = Connect-AuroraMySql -Endpoint $Sandbox.host -Port $Sandbox.port -SqlCredential $Credential -SslCa $Sandbox.caFile
        try {
            $listed = @(Get-AuroraSession -Session $Session -IncludeReserved)
            $listed.Id | Should -Contain $other.ConnectionId
            foreach ($layout in Assert-View $listed 'Id', 'User', 'Host', 'Database', 'Command', 'TimeSeconds', 'State', 'Info') {
                $layout.Rows.Id | Should -Contain ([string]$other.ConnectionId)
            }
        }
        finally {
            $other | Disconnect-AuroraMySql
        }
    }

    It 'Get-AuroraEngineDefaultParameter keeps every header on one line' {
        Assert-View @(Get-AuroraEngineDefaultParameter -Family aurora-mysql8.0 @Aws | Select-Object -First 5) 'ParameterName', 'ParameterValue', 'Source', 'ApplyType', 'IsModifiable' | Out-Null
    }
}

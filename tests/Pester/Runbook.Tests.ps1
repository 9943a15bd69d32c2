BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Runbook = Join-Path $RepoRoot 'examples/Invoke-AuroraSecurityRunbook.ps1'
    $script:Schema = Get-Content (Join-Path $PSScriptRoot 'schemas/asff-finding.schema.json') -Raw
}

# The runbook under examples/, run end to end against the RDS double as a team would run it.
Describe 'examples/Invoke-AuroraSecurityRunbook.ps1' -Tag 'RdsDouble', 'AwsCli' {
    BeforeAll {
        $script:Double = Start-RdsDouble
        $script:Aws = Get-RdsDoubleParameters $Double
        $script:Baseline = Join-Path $TestDrive 'aurora-baseline.psd1'
        New-AuroraSecurityBaseline -Path $Baseline
        # The team's agreed exception: legacy keeps TLS 1.0/1.1 until its vendor client is replaced.
        $text = (Get-Content $Baseline -Raw) -replace '(?s)Suppressions\s*=\s*@\(.*?\n    \)', @"
Suppressions   = @(
        @{ CheckId = 'AURSEC-TLS-002'; Cluster = 'legacy'; Justification = 'Vendor client needs TLS 1.1 until CHG-1234.'; Expires = '$((Get-Date).AddDays(30).ToString('yyyy-MM-dd'))' }
    )
"@
        Set-Content $Baseline $text
    }

    AfterAll { Stop-RdsDouble $Double }

    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'audits with the baseline, writes ASFF that matches the schema and an HTML report, and shows the repairs without sending one' {
        $out = Join-Path $TestDrive 'run'
        $run = & $Runbook -OutputFolder $out -Baseline $Baseline -Repair -AwsParameters $Aws

        $direct = @(Invoke-AuroraSecurityAudit -Baseline $Baseline @Aws)
        $run.Findings | Should -Be $direct.Count
        $run.ByStatus.Suppressed | Should -Be 1
        $run.ByStatus.Fail | Should -Be @($direct | Where-Object Status -eq Fail).Count

        # Security Hub: every finding once, the suppressed one still FAILED in Compliance (its real status) with the justification kept.
        # Security Hub takes at most 100 findings per import: one file per batch.
        $run.Asff.Count | Should -Be ([math]::Ceiling($direct.Count / 100))
        $asff = @(foreach ($file in $run.Asff) {
                $batch = @((Get-Content $file -Raw | ConvertFrom-Json -DateKind String).Findings)
                $batch.Count | Should -BeLessOrEqual 100
                $batch
            })
        $asff.Count | Should -Be $direct.Count
        foreach ($finding in $asff) {
            Test-Json -Json ($finding | ConvertTo-Json -Depth 10) -Schema $Schema -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeTrue -Because "$($finding.Id): $($problems.Exception.Message)"
        }
        $suppressed = @($asff | Where-Object { $_.Workflow.Status -eq 'SUPPRESSED' })
        $suppressed.Count | Should -Be 1
        $suppressed[0].GeneratorId | Should -Be 'AURSEC-TLS-002'
        $suppressed[0].Compliance.Status | Should -Be 'FAILED'
        $suppressed[0].Note.Text | Should -Match 'CHG-1234'

        # The report for people: one file, every finding's row in it.
        $html = Get-Content $run.Report -Raw
        $html | Should -Match 'Aurora MySQL security'
        $html | Should -Not -Match '<script[^>]+src='
        $html | Should -Match 'Vendor client needs TLS 1.1'
        ([regex]::Matches($html, '<tr class="finding" data-status="')).Count | Should -Be $direct.Count
        ([regex]::Matches($html, '<tr class="finding" data-status="Suppressed"')).Count | Should -Be 1

        # Repairs were shown, not made.
        $changes = @($run.Repairs | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Clusters.AuroraTlsConfig' })
        $changes.Count | Should -BeGreaterThan 0
        $changes.Change | Sort-Object -Unique | Should -Be 'WhatIf'
        @($run.Repairs | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Repair.SkippedFinding' }).CheckId | Should -Contain 'AURSEC-TLS-006'
        Get-DoubleMutatingRequests $Double | Should -BeNullOrEmpty
    }

    It 'with -ApplyRepairs makes the repairs, and a second run finds those checks passing' {
        $out = Join-Path $TestDrive 'apply'
        $run = & $Runbook -OutputFolder $out -Baseline $Baseline -ClusterIdentifier orders, billing -Repair -ApplyRepairs -AwsParameters $Aws
        $modify = @(Get-DoubleMutatingRequests $Double | Where-Object action -eq 'ModifyDBClusterParameterGroup')
        $modify.Count | Should -Be 1 -Because 'orders and billing share one group: one request carries all its fixes'
        $after = @($run.Repairs | Where-Object { $_.psobject.TypeNames -contains 'AuroraSecurity.Audit.Finding' })
        ($after | Where-Object CheckId -eq 'AURSEC-TLS-001').Status | Sort-Object -Unique | Should -Be 'Pass'

        $again = & $Runbook -OutputFolder (Join-Path $TestDrive 'again') -Baseline $Baseline -ClusterIdentifier orders, billing -AwsParameters $Aws
        $again.ByStatus.Fail | Should -BeLessThan $run.ByStatus.Fail
    }
}

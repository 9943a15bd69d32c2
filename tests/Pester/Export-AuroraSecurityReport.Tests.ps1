BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'BrowserHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
    $script:Findings = @(Invoke-AuroraSecurityAudit @Aws)
    $script:Artefacts = Join-Path $RepoRoot 'TestResults'
    New-Item -ItemType Directory -Force -Path $Artefacts | Out-Null

    # Names and reasons are data: each of these would run script or add elements if it were written as markup.
    $script:HostileName = '<img src=x onerror="document.body.setAttribute(''data-pwned'',''name'')">'
    $script:HostileReason = '</td></tr></table><script>document.body.setAttribute("data-pwned","reason")</script><b>bold</b> & "quotes"'
    function New-HostileFinding {
        $finding = $Findings[0].GetType()::new()
        $finding.CheckId = 'AURSEC-TLS-001'; $finding.Title = 'Connections must use TLS <require_secure_transport>'; $finding.Severity = 'High'
        $finding.Status = 'Fail'; $finding.Reason = $HostileReason; $finding.Recommendation = "Enable-AuroraSecureTransport -ClusterIdentifier '$HostileName'"
        $finding.ClusterIdentifier = $HostileName; $finding.Region = 'us-east-1'; $finding.Timestamp = [datetime]::UtcNow
        $finding
    }
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Export-AuroraSecurityReport' -Tag 'RdsDouble', 'Browser' {
    Context 'HTML in a browser' {
        BeforeAll {
            $script:Report = Join-Path $TestDrive 'report.html'
            $script:File = $Findings | Export-AuroraSecurityReport -Path $Report
            $script:Dom = Get-RenderedDom $Report
            $script:Rows = @(Get-ReportRows $Dom)
        }

        It 'writes one file and returns it' {
            $File | Should -BeOfType [System.IO.FileInfo]
            $File.FullName | Should -Be $Report
            $Dom | Should -Match 'data-ready="true"' -Because 'the inline script ran to the end'
        }

        It 'is self-contained: nothing is loaded from anywhere else' {
            $html = Get-Content $Report -Raw
            $html | Should -Not -Match '<(link|img|iframe|object|embed)\b'
            $html | Should -Not -Match '<script[^>]*\bsrc\s*='
            $html | Should -Not -Match '(src|href)\s*=\s*"?(https?:)?//'
            $html | Should -Not -Match '@import|url\('
            $html | Should -Match "Content-Security-Policy"
        }

        It 'shows one row per finding, with the same count per status' {
            $Rows.Count | Should -Be $Findings.Count
            foreach ($group in $Findings | Group-Object { [string]$_.Status }) {
                @($Rows | Where-Object Status -eq $group.Name).Count | Should -Be $group.Count -Because "status $($group.Name)"
            }
            $Rows | Where-Object Hidden | Should -BeNullOrEmpty
            foreach ($finding in $Findings) {
                @($Rows | Where-Object { $_.Cluster -eq $finding.ClusterIdentifier -and $_.CheckId -eq $finding.CheckId }).Count | Should -Be 1
            }
        }

        It 'has a table per cluster with status, reason and recommendation' {
            $sections = [regex]::Matches($Dom, '<section class="cluster" data-cluster="([^"]*)"')
            @($sections | ForEach-Object { $_.Groups[1].Value }) | Should -Be @($Findings.ClusterIdentifier | Sort-Object -Unique)
            $legacy = $Rows | Where-Object { $_.Cluster -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-001' }
            $legacy.Status | Should -Be 'Fail'
            $legacy.Html | Should -Match 'require_secure_transport is OFF'
            $legacy.Html | Should -Match 'Enable-AuroraSecureTransport -ClusterIdentifier legacy'
        }

        It 'sums the findings by status and severity' {
            foreach ($status in 'Pass', 'Fail', 'Warning', 'NotApplicable', 'Error') {
                $row = [regex]::Match($Dom, "<tr data-status=""$status"">(.*?)</tr>", 'Singleline').Groups[1].Value
                $total = [int][regex]::Match($row, '<td class="total">(\d+)</td>').Groups[1].Value
                $total | Should -Be @($Findings | Where-Object Status -eq $status).Count -Because $status
                foreach ($severity in 'High', 'Medium', 'Low') {
                    $count = [int][regex]::Match($row, "<td class=""count"" data-severity=""$severity"">(\d+)</td>").Groups[1].Value
                    $count | Should -Be @($Findings | Where-Object { $_.Status -eq $status -and $_.Severity -eq $severity }).Count -Because "$status $severity"
                }
            }
        }

        It 'names the run: time, region, module version and the checks run' {
            $Dom | Should -Match '<dd id="regions">us-east-1</dd>'
            $Dom | Should -Match "<dd id=""module-version"">$([regex]::Escape((Get-Module AuroraSecurity).Version.ToString()))</dd>"
            $Dom | Should -Match '<dd id="generated-at">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</dd>'
            foreach ($check in Get-AuroraSecurityCheck) { $Dom | Should -Match "<li data-check=""$($check.Id)"">" }
        }

        It 'filters by status from the link and counts what it shows' {
            $filtered = Get-RenderedDom $Report '#status=Fail,Warning'
            $rows = @(Get-ReportRows $filtered)
            $wanted = @($Findings | Where-Object { $_.Status -in 'Fail', 'Warning' })
            @($rows | Where-Object { -not $_.Hidden }).Count | Should -Be $wanted.Count
            $rows | Where-Object { -not $_.Hidden -and $_.Status -notin 'Fail', 'Warning' } | Should -BeNullOrEmpty
            $filtered | Should -Match "<span id=""visible-count"">$($wanted.Count)</span>"
            $filtered | Should -Match '<section class="cluster" data-cluster="analytics"[^>]*hidden' -Because 'a cluster with nothing to show is hidden'
        }

        It 'sorts a table by severity' {
            $sorted = Get-RenderedDom $Report '#sort=severity'
            $legacy = @(Get-ReportRows $sorted | Where-Object Cluster -eq 'legacy')
            $ranks = $legacy | ForEach-Object { @{ High = 0; Medium = 1; Low = 2 }[$_.Severity] }
            $ranks | Should -Be ($ranks | Sort-Object)
            $legacy[0].Severity | Should -Be 'High'
            $default = @(Get-ReportRows $Dom | Where-Object Cluster -eq 'legacy')
            $default[0].Status | Should -Be 'Fail' -Because 'without a sort the failures come first'
        }

        It 'keeps a screenshot as a test artefact' {
            $png = Save-PageScreenshot -Path $Report -Screenshot (Join-Path $Artefacts 'security-report.png')
            $png.Length | Should -BeGreaterThan 10000
            $bytes = [IO.File]::ReadAllBytes($png.FullName)[0..3]
            $bytes | Should -Be @(0x89, 0x50, 0x4E, 0x47)
        }
    }

    Context 'hostile data' {
        It 'shows a hostile cluster name and reason as text' {
            $path = Join-Path $TestDrive 'hostile.html'
            $null = @(New-HostileFinding) + $Findings | Export-AuroraSecurityReport -Path $path -Title '<script>alert(1)</script> report'
            $hostile = Get-RenderedDom $path
            $hostile | Should -Not -Match '<body[^>]*data-pwned'
            $hostile | Should -Match '<body[^>]*data-ready="true"'
            $hostile | Should -Not -Match '<img'
            $hostile | Should -Not -Match '<b>bold</b>'
            $hostile | Should -Not -Match '<script>alert'
            $hostile | Should -Match '&lt;img src=x onerror='
            $hostile | Should -Match '&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;'
            $hostile | Should -Match '<title>&lt;script&gt;alert\(1\)&lt;/script&gt; report</title>'
            $rows = @(Get-ReportRows $hostile)
            $rows.Count | Should -Be ($Findings.Count + 1)
            ($rows | Where-Object Cluster -eq $HostileName).Status | Should -Be 'Fail'
        }
    }

    Context 'CSV and JSON' {
        It 'writes the same findings flattened to CSV' {
            $path = Join-Path $TestDrive 'findings.csv'
            $file = $Findings | Export-AuroraSecurityReport -Path $path
            $file.Name | Should -Be 'findings.csv'
            $rows = @(Import-Csv $path)
            $rows.Count | Should -Be $Findings.Count
            $rows[0].PSObject.Properties.Name | Should -Be @('ClusterIdentifier', 'Region', 'CheckId', 'Title', 'Severity', 'Status', 'Reason', 'Recommendation', 'DBClusterArn', 'EngineVersion', 'Timestamp', 'SuppressedStatus', 'Justification', 'SuppressionExpires')
            $legacy = $rows | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-002' }
            $legacy.Status | Should -Be 'Fail'
            $legacy.Recommendation | Should -Be 'Set-AuroraTlsVersion -ClusterIdentifier legacy -TlsVersion TLSv1.2'
        }

        It 'defuses cells a spreadsheet would run as formulas' {
            $finding = New-HostileFinding
            $finding.Reason = '=HYPERLINK("http://example.invalid","x")'
            $path = Join-Path $TestDrive 'formula.csv'
            $null = $finding | Export-AuroraSecurityReport -Path $path
            (Import-Csv $path).Reason | Should -Be "'=HYPERLINK(""http://example.invalid"",""x"")"
        }

        It 'writes the run and the flattened findings as JSON' {
            $path = Join-Path $TestDrive 'report.data'
            $null = $Findings | Export-AuroraSecurityReport -Path $path -Format Json
            $json = Get-Content $path -Raw | ConvertFrom-Json -DateKind String
            $json.Run.Findings | Should -Be $Findings.Count
            $json.Run.Regions | Should -Be @('us-east-1')
            @($json.Run.Checks).Count | Should -Be @($Findings.CheckId | Select-Object -Unique).Count
            @($json.Findings).Count | Should -Be $Findings.Count
            ($json.Findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-001' }).Status | Should -Be 'Fail'
        }
    }

    Context 'as a cmdlet' {
        It 'writes nothing with -WhatIf' {
            $path = Join-Path $TestDrive 'whatif.html'
            $Findings | Export-AuroraSecurityReport -Path $path -WhatIf
            $path | Should -Not -Exist
        }

        It 'refuses to replace a file with -NoClobber' {
            $path = Join-Path $TestDrive 'kept.html'
            Set-Content $path 'keep me'
            { $Findings | Export-AuroraSecurityReport -Path $path -NoClobber } | Should -Throw -ExpectedMessage '*-NoClobber*'
            Get-Content $path | Should -Be 'keep me'
        }

        It 'asks in a host that can, says "add -Force" in one that cannot, and writes with -Force' {
            $asked = Join-Path $TestDrive 'asked.csv'
            $forced = Join-Path $TestDrive 'forced.csv'
            $script = Join-Path $TestDrive 'export-non-interactive.ps1'
            Set-Content $script @'
param($Manifest, $AwsJson, $Asked, $Forced)
Import-Module $Manifest
$aws = @{}; foreach ($p in ($AwsJson | ConvertFrom-Json).PSObject.Properties) { $aws[$p.Name] = $p.Value }
$findings = Invoke-AuroraSecurityAudit -ClusterIdentifier legacy @aws
$findings | Export-AuroraSecurityReport -Path $Asked -Confirm -ErrorVariable failed -ErrorAction SilentlyContinue
$findings | Export-AuroraSecurityReport -Path $Forced -Force | Out-Null
"ERROR $($failed[0].FullyQualifiedErrorId)|$($failed[0].Exception.Message)"
'@
            $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $script $ModuleManifest ($Aws | ConvertTo-Json -Compress) $asked $forced 2>&1
            ($output -join "`n") | Should -Match 'ERROR ConfirmationNeeded.*Add -Force'
            $asked | Should -Not -Exist
            $forced | Should -Exist
        }

        It 'says which folder is missing' {
            { $Findings | Export-AuroraSecurityReport -Path (Join-Path $TestDrive 'no/such/folder/report.html') } | Should -Throw -ExpectedMessage '*does not exist*'
        }
    }
}

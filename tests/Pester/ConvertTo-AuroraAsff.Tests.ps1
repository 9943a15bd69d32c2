BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
    $script:Schema = Get-Content (Join-Path $PSScriptRoot 'schemas/asff-finding.schema.json') -Raw
    $script:Findings = @(Invoke-AuroraSecurityAudit @Aws)

    # A finding of the audit's own type with the fields given, for regions and accounts the double does not have.
    function New-TestFinding([hashtable] $Fields) {
        $finding = $Findings[0].GetType()::new()
        $defaults = @{ CheckId = 'AURSEC-TLS-001'; Title = 'Connections must use TLS (require_secure_transport)'; Severity = 'High'; Status = 'Fail'
            Reason = 'require_secure_transport is OFF.'; ClusterIdentifier = 'orders'; Region = 'us-east-1'; Timestamp = [datetime]::new(2026, 11, 29, 12, 0, 0, [DateTimeKind]::Utc) }
        foreach ($key in $defaults.Keys) { $finding.$key = $defaults[$key] }
        foreach ($key in $Fields.Keys) { $finding.$key = $Fields[$key] }
        $finding
    }

    # Runs botocore's parameter validation for BatchImportFindings over documents; returns its output lines.
    function Test-WithBotocore([string[]] $Documents) {
        $files = @(foreach ($document in $Documents) {
            $file = Join-Path $TestDrive "batch-$([guid]::NewGuid()).json"
            Set-Content -Path $file -Value $document -Encoding utf8NoBOM
            $file
        })
        $output = & python3 (Join-Path $PSScriptRoot 'botocore-validate.py') @files 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'ConvertTo-AuroraAsff' -Tag 'RdsDouble', 'AwsCli' {
    It 'writes every finding of the fleet as an ASFF finding that matches the schema' {
        # One finding per check per cluster, at most 100 to a document.
        $Findings.Count | Should -Be ((Get-AuroraSecurityCheck).Count * @($Findings.ClusterIdentifier | Sort-Object -Unique).Count)
        $documents = @($Findings | ConvertTo-AuroraAsff)
        $documents.Count | Should -Be ([math]::Ceiling($Findings.Count / 100))
        $documents | ForEach-Object { $_ | Should -BeOfType [string] }
        $asff = @($documents | ForEach-Object { ($_ | ConvertFrom-Json -DateKind String).Findings })
        $asff.Count | Should -Be $Findings.Count
        @($asff.Id | Sort-Object -Unique).Count | Should -Be $Findings.Count
        foreach ($finding in $asff) {
            $json = $finding | ConvertTo-Json -Depth 10
            Test-Json -Json $json -Schema $Schema -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeTrue -Because "$($finding.Id): $($problems.Exception.Message)"
        }
    }

    It 'fills the attributes from the finding, the check and the cluster' {
        $legacy = $Findings | Where-Object { $_.ClusterIdentifier -eq 'legacy' -and $_.CheckId -eq 'AURSEC-TLS-001' }
        $asff = (($legacy | ConvertTo-AuroraAsff) | ConvertFrom-Json -DateKind String).Findings[0]
        $asff.SchemaVersion | Should -Be '2018-10-08'
        $asff.Id | Should -Be 'arn:aws:rds:us-east-1:123456789012:cluster:legacy/AURSEC-TLS-001'
        $asff.ProductArn | Should -Be 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default'
        $asff.GeneratorId | Should -Be 'AURSEC-TLS-001'
        $asff.AwsAccountId | Should -Be '123456789012'
        $asff.Types | Should -Be @('Software and Configuration Checks/AWS Security Best Practices')
        $asff.Severity.Label | Should -Be 'HIGH'
        $asff.Title | Should -Be $legacy.Title
        $asff.Description | Should -BeLike "$($legacy.Reason)*"
        $asff.Compliance.Status | Should -Be 'FAILED'
        $asff.Compliance.RelatedRequirements | Should -Be @('Prowler rds_instance_transport_encrypted') -Because 'the check''s references are its related requirements'
        $asff.Remediation.Recommendation.Text | Should -Be 'Enable-AuroraSecureTransport -ClusterIdentifier legacy'
        $asff.CreatedAt | Should -Be $asff.UpdatedAt
        $asff.UpdatedAt | Should -Be $legacy.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture)
        $resource = $asff.Resources[0]
        $resource.Type | Should -Be 'AwsRdsDbCluster'
        $resource.Id | Should -Be 'arn:aws:rds:us-east-1:123456789012:cluster:legacy'
        $resource.Partition | Should -Be 'aws'
        $resource.Region | Should -Be 'us-east-1'
        $details = $resource.Details.AwsRdsDbCluster
        $details.DbClusterIdentifier | Should -Be 'legacy'
        $details.Engine | Should -Be 'aurora-mysql'
        $details.EngineVersion | Should -Be $legacy.EngineVersion
        $details.DbClusterParameterGroup | Should -Be 'legacy-aurora-mysql57'
        $details.StorageEncrypted | Should -BeOfType [bool]
        @($details.DbClusterMembers).Count | Should -BeGreaterThan 0
        @($details.DbClusterMembers | Where-Object IsClusterWriter).Count | Should -Be 1
    }

    It 'maps each status to its compliance status and a passed check to INFORMATIONAL' {
        $asff = @((($Findings | ConvertTo-AuroraAsff) | ConvertFrom-Json -DateKind String).Findings)
        $expected = @{ Pass = 'PASSED'; Fail = 'FAILED'; Warning = 'WARNING'; NotApplicable = 'NOT_AVAILABLE'; Error = 'NOT_AVAILABLE' }
        foreach ($finding in $Findings) {
            $match = $asff | Where-Object Id -eq "$($finding.DBClusterArn)/$($finding.CheckId)"
            $match.Compliance.Status | Should -Be $expected[[string]$finding.Status] -Because "$finding"
            if ($finding.Status -eq 'Pass') { $match.Severity.Label | Should -Be 'INFORMATIONAL' }
            if ($finding.Status -eq 'Fail') { $match.Severity.Label | Should -Be ([string]$finding.Severity).ToUpperInvariant() }
        }
        ($Findings.Status | Select-Object -Unique) | Should -Contain 'Warning'
        ($Findings.Status | Select-Object -Unique) | Should -Contain 'NotApplicable'
    }

    It 'keeps Ids stable across two runs and moves UpdatedAt' {
        $first = @((($Findings | ConvertTo-AuroraAsff) | ConvertFrom-Json -DateKind String).Findings)
        Start-Sleep -Milliseconds 20
        $second = @(((Invoke-AuroraSecurityAudit @Aws | ConvertTo-AuroraAsff) | ConvertFrom-Json -DateKind String).Findings)
        # The audit writes each cluster's findings as it completes, so the clusters may come in another order.
        ($second.Id | Sort-Object) | Should -Be ($first.Id | Sort-Object)
        ($first.Id | Select-Object -Unique).Count | Should -Be $first.Count
        ($second | Where-Object Id -eq $first[0].Id).UpdatedAt | Should -Not -Be $first[0].UpdatedAt
    }

    It 'keeps the CreatedAt the caller gives' {
        $created = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc)
        $asff = (($Findings[0] | ConvertTo-AuroraAsff -CreatedAt $created) | ConvertFrom-Json -DateKind String).Findings[0]
        $asff.CreatedAt | Should -Be '2026-01-02T03:04:05.000Z'
        $asff.UpdatedAt | Should -Not -Be $asff.CreatedAt
    }

    It 'splits findings into batches of at most 100, or the size asked for' {
        $many = foreach ($i in 1..250) { New-TestFinding @{ ClusterIdentifier = "cluster-$i"; DBClusterArn = "arn:aws:rds:us-east-1:123456789012:cluster:cluster-$i" } }
        $documents = @($many | ConvertTo-AuroraAsff)
        $documents.Count | Should -Be 3
        $documents | ForEach-Object { @(($_ | ConvertFrom-Json -DateKind String).Findings).Count } | Should -Be @(100, 100, 50)
        @($Findings | ConvertTo-AuroraAsff -BatchSize 10).Count | Should -Be ([math]::Ceiling($Findings.Count / 10))
        { $Findings | ConvertTo-AuroraAsff -BatchSize 101 } | Should -Throw
    }

    It 'writes batches botocore''s Security Hub model accepts for BatchImportFindings' {
        $many = foreach ($i in 1..120) { New-TestFinding @{ ClusterIdentifier = "cluster-$i"; DBClusterArn = "arn:aws:rds:us-east-1:123456789012:cluster:cluster-$i" } }
        $documents = @($Findings | ConvertTo-AuroraAsff) + @($many | ConvertTo-AuroraAsff)
        $result = Test-WithBotocore $documents
        $result.Output -join "`n" | Should -Not -Match 'invalid'
        $result.ExitCode | Should -Be 0
        $fleet = @(for ($left = $Findings.Count; $left -gt 0; $left -= 100) { "ok $([math]::Min($left, 100))" })
        $result.Output | Should -Be (@($fleet) + @('ok 100', 'ok 20'))
    }

    It 'is caught by botocore when a required attribute is missing (the check can fail)' {
        $document = ($Findings[0] | ConvertTo-AuroraAsff | ConvertFrom-Json -DateKind String -AsHashtable)
        $document.Findings[0].Remove('ProductArn')
        $result = Test-WithBotocore @($document | ConvertTo-Json -Depth 10)
        $result.ExitCode | Should -Not -Be 0
        $result.Output -join "`n" | Should -Match 'ProductArn'
    }

    It 'is refused by the schema when a required attribute is missing (the schema can fail)' {
        $finding = ($Findings[0] | ConvertTo-AuroraAsff | ConvertFrom-Json -DateKind String -AsHashtable).Findings[0]
        $finding.Remove('Resources')
        Test-Json -Json ($finding | ConvertTo-Json -Depth 10) -Schema $Schema -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'uses the China and GovCloud partitions' {
        $china = New-TestFinding @{ Region = 'cn-north-1'; DBClusterArn = $null }
        $asff = (($china | ConvertTo-AuroraAsff -AwsAccountId 111122223333) | ConvertFrom-Json -DateKind String).Findings[0]
        $asff.ProductArn | Should -Be 'arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default'
        $asff.Resources[0].Id | Should -Be 'arn:aws-cn:rds:cn-north-1:111122223333:cluster:orders'
        $asff.Resources[0].Partition | Should -Be 'aws-cn'

        $gov = New-TestFinding @{ Region = 'us-gov-west-1'; DBClusterArn = 'arn:aws-us-gov:rds:us-gov-west-1:444455556666:cluster:orders' }
        $asff = (($gov | ConvertTo-AuroraAsff -AwsAccountId 111122223333) | ConvertFrom-Json -DateKind String).Findings[0]
        $asff.AwsAccountId | Should -Be '444455556666' -Because 'the account comes from the cluster ARN when there is one'
        $asff.ProductArn | Should -Be 'arn:aws-us-gov:securityhub:us-gov-west-1:444455556666:product/444455556666/default'
        $asff.Resources[0].Partition | Should -Be 'aws-us-gov'
        foreach ($one in $china, $gov) {
            $json = ((($one | ConvertTo-AuroraAsff -AwsAccountId 111122223333) | ConvertFrom-Json -DateKind String).Findings[0]) | ConvertTo-Json -Depth 10
            Test-Json -Json $json -Schema $Schema | Should -BeTrue
        }
    }

    It 'reports a finding without an account as an error and converts the others' {
        $orphan = New-TestFinding @{ DBClusterArn = $null; ClusterIdentifier = 'orphan' }
        $documents = @($orphan, $Findings[0] | ConvertTo-AuroraAsff -ErrorAction SilentlyContinue -ErrorVariable problems)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AsffAccountIdUnknown*'
        $problems[0].Exception.Message | Should -Match '-AwsAccountId'
        @(($documents[0] | ConvertFrom-Json -DateKind String).Findings).Count | Should -Be 1
    }

    It 'keeps long reasons within the ASFF limits' {
        $long = New-TestFinding @{ DBClusterArn = 'arn:aws:rds:us-east-1:123456789012:cluster:orders'; Reason = ('x' * 3000); Recommendation = ('y' * 900); Title = ('t' * 400) }
        $asff = (($long | ConvertTo-AuroraAsff) | ConvertFrom-Json -DateKind String).Findings[0]
        $asff.Description.Length | Should -Be 1024
        $asff.Remediation.Recommendation.Text.Length | Should -Be 512
        $asff.Title.Length | Should -Be 256
    }

    It 'rejects an account id that is not 12 digits' {
        { $Findings[0] | ConvertTo-AuroraAsff -AwsAccountId 12345 } | Should -Throw
    }
}

# Get-AuroraIamPolicy: the audit and change policies name exactly what the cmdlets send (checked against the RDS double's
# request log), stay in step with docs/runbooks.md, and rds-db:connect names the cluster's resource id as RDS gives it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Get-AuroraIamPolicy' -Tag 'None' {
    It 'gives the audit policy by default, as IAM takes it, with only reads' {
        $policy = Get-AuroraIamPolicy
        $policy.Scope | Should -Be 'Audit'
        $document = $policy.Document | ConvertFrom-Json
        $document.Version | Should -Be '2012-10-17'
        @($document.Statement).Count | Should -Be 1
        $document.Statement[0].Effect | Should -Be 'Allow'
        @($document.Statement[0].Action) | Should -Be @($policy.Actions)
        $policy.Actions | ForEach-Object { $_ | Should -Match '^(rds|ec2):Describe' }
        "$policy" | Should -Be $policy.Document
    }

    It 'is the audit policy docs/runbooks.md gives' {
        $markdown = Get-Content (Join-Path $RepoRoot 'docs/runbooks.md') -Raw
        $first = [regex]::Match($markdown, '(?s)```json\r?\n(.*?)\r?\n```').Groups[1].Value | ConvertFrom-Json
        @($first.Statement.Action) | Should -Be @((Get-AuroraIamPolicy -Scope Audit).Actions)
    }

    It 'is, for <_>, the policy file docs/iam/ keeps: regenerated here, it is the same' -ForEach 'Audit', 'Change' {
        $file = Join-Path $RepoRoot "docs/iam/aurora-$($_.ToLowerInvariant())-policy.json"
        $kept = (Get-Content $file -Raw) -replace "`r`n", "`n"
        $kept.TrimEnd() | Should -Be ((Get-AuroraIamPolicy -Scope $_).Document -replace "`r`n", "`n").TrimEnd() -Because "docs/iam is written by (Get-AuroraIamPolicy -Scope $_).Document; write it again"
        @(($kept | ConvertFrom-Json).Statement.Action) | Should -Be @((Get-AuroraIamPolicy -Scope $_).Actions)
    }

    It 'gives the change policy apart, and sts:AssumeRole on the roles given' {
        $policies = @(Get-AuroraIamPolicy -Scope Audit, Change -AssumableRoleArn 'arn:aws:iam::*:role/AuroraAuditor')
        $policies.Scope | Should -Be @('Audit', 'Change')
        $policies[1].Actions | Should -Contain 'rds:ModifyDBClusterParameterGroup'
        $policies[1].Actions | Where-Object { $_ -like '*:Describe*' } | Should -BeNullOrEmpty
        foreach ($policy in $policies) {
            $assume = ($policy.Document | ConvertFrom-Json).Statement | Where-Object Action -eq 'sts:AssumeRole'
            $assume.Resource | Should -Be 'arn:aws:iam::*:role/AuroraAuditor'
        }
    }

    It 'adds the read of every RDS-managed master secret of the region, and kms:Decrypt through Secrets Manager only, with -UseManagedMasterSecret' {
        $policy = Get-AuroraIamPolicy -UseManagedMasterSecret -Region eu-west-1
        $policy.Actions | Should -Contain 'secretsmanager:GetSecretValue'
        $policy.Actions | Should -Contain 'kms:Decrypt'
        $statements = ($policy.Document | ConvertFrom-Json).Statement
        ($statements | Where-Object Action -eq 'secretsmanager:GetSecretValue').Resource | Should -Be 'arn:aws:secretsmanager:eu-west-1:*:secret:rds!cluster-*'
        $kms = $statements | Where-Object Action -eq 'kms:Decrypt'
        $kms.Condition.StringEquals.'kms:ViaService' | Should -Be 'secretsmanager.eu-west-1.amazonaws.com'
        (Get-AuroraIamPolicy -Scope Change -UseManagedMasterSecret).Actions | Where-Object { $_ -like 'secretsmanager:*' } | Should -BeNullOrEmpty
        (Get-AuroraIamPolicy).Actions | Where-Object { $_ -like 'secretsmanager:*' } | Should -BeNullOrEmpty
    }

    It 'refuses what is not a role ARN, saying what to give' {
        { Get-AuroraIamPolicy -AssumableRoleArn AuroraAuditor -ErrorAction Stop } | Should -Throw -ErrorId 'RoleArnInvalid*'
    }
}

Describe 'Get-AuroraIamPolicy against the RDS double' -Tag 'RdsDouble', 'AwsCli' {
    BeforeAll {
        $script:Double = Start-RdsDouble
        $script:Aws = Get-RdsDoubleParameters $Double
    }
    AfterAll { Stop-RdsDouble $Double }
    BeforeEach { Clear-RdsDoubleRequests $Double }

    It 'names the cluster resource id RDS gives, in its partition, region and account, for each user' {
        $policy = Get-AuroraIamPolicy -ClusterIdentifier orders -DbUser app, reporting @Aws
        $cluster = (Invoke-DoubleAwsCli $Double @('describe-db-clusters', '--db-cluster-identifier', 'orders')).DBClusters[0]
        $account = $cluster.DBClusterArn.Split(':')[4]
        $policy.Scope | Should -Be 'DbConnect'
        $policy.Resources | Should -Be @("arn:aws:rds-db:$($Double.Region):${account}:dbuser:$($cluster.DbClusterResourceId)/app", "arn:aws:rds-db:$($Double.Region):${account}:dbuser:$($cluster.DbClusterResourceId)/reporting")
        (($policy.Document | ConvertFrom-Json).Statement | Select-Object -First 1).Action | Should -Be 'rds-db:connect'
    }

    It 'takes the cluster from Get-AuroraCluster output, and a missing cluster is an error for it' {
        $policy = Get-AuroraCluster -ClusterIdentifier orders @Aws | Get-AuroraIamPolicy -DbUser app @Aws
        $policy.Resources | Should -Match 'dbuser:cluster-.+/app$'
        $null = Get-AuroraIamPolicy -ClusterIdentifier no-such-cluster -DbUser app @Aws -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ClusterNotFound,*'
    }

    It 'names the managed secrets of the clusters given, one policy for every cluster piped in, and says when a cluster has none' {
        $policy = @(Get-AuroraCluster -ClusterIdentifier analytics @Aws | Get-AuroraIamPolicy -UseManagedMasterSecret @Aws)
        $policy.Count | Should -Be 1
        $cluster = (Invoke-DoubleAwsCli $Double @('describe-db-clusters', '--db-cluster-identifier', 'analytics')).DBClusters[0]
        $statements = ($policy[0].Document | ConvertFrom-Json).Statement
        ($statements | Where-Object Action -eq 'secretsmanager:GetSecretValue').Resource | Should -Be $cluster.MasterUserSecret.SecretArn
        ($statements | Where-Object Action -eq 'kms:Decrypt').Resource | Should -Be $cluster.MasterUserSecret.KmsKeyId
        { Get-AuroraIamPolicy -UseManagedMasterSecret -ClusterIdentifier billing @Aws -ErrorAction Stop } | Should -Throw -ErrorId 'ManagedSecretMissing*'
    }

    It 'the audit and change policies allow every action the change cmdlets send' {
        $null = Enable-AuroraSecureTransport -ClusterIdentifier legacy -Force @Aws -WarningAction SilentlyContinue
        $null = Enable-AuroraSecureTransport -ClusterIdentifier inventory -CreateCustomGroup -NewParameterGroupName iam-policy-test -Force @Aws -WarningAction SilentlyContinue
        $null = Enable-AuroraIamAuthentication -ClusterIdentifier billing -Force @Aws -WarningAction SilentlyContinue
        $sent = @(Get-RdsDoubleRequests $Double | ForEach-Object { $_ } | Where-Object { $_.accepted -and $_.service -in 'rds', 'ec2' } | ForEach-Object { "$($_.service):$($_.action)" } | Sort-Object -Unique)
        $sent | Should -Contain 'rds:ModifyDBClusterParameterGroup'
        $sent | Should -Contain 'rds:ModifyDBCluster'
        $sent | Should -Contain 'rds:CreateDBClusterParameterGroup'
        $allowed = @(Get-AuroraIamPolicy -Scope Audit, Change | ForEach-Object { $_.Actions })
        foreach ($action in $sent) { $allowed | Should -Contain $action }
    }
}

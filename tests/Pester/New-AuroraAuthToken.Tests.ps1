# Tokens are signed locally from explicit test keys; the IAM login runs against the sandbox, which has no
# AWSAuthenticationPlugin, so it ends in access denied after the token crossed verified TLS.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $sandbox = Get-TestSandbox
    $aws = @{ Region = 'us-east-1'; AccessKey = 'AKIDEXAMPLE'; SecretKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
}

Describe 'New-AuroraAuthToken' -Tag 'MariaDB' {
    It 'signs a connect request for the endpoint, port and user, valid 15 minutes' {
        $token = New-AuroraAuthToken -Endpoint demo.cluster-abc123.us-east-1.rds.amazonaws.com -Port 3307 -DbUser app_iam @aws
        $token | Should -BeOfType [string]
        $token | Should -Match '^demo\.cluster-abc123\.us-east-1\.rds\.amazonaws\.com:3307/\?Action=connect&DBUser=app_iam&'
        $token | Should -Match 'X-Amz-Algorithm=AWS4-HMAC-SHA256'
        $token | Should -Match 'X-Amz-Credential=AKIDEXAMPLE%2F\d{8}%2Fus-east-1%2Frds-db%2Faws4_request'
        $token | Should -Match 'X-Amz-Expires=900'
        $token | Should -Match 'X-Amz-Signature=[0-9a-f]{64}$'
        $token | Should -Not -Match '^https?://'
    }

    It 'signs nothing under -WhatIf' {
        New-AuroraAuthToken -Endpoint demo.cluster-abc123.us-east-1.rds.amazonaws.com -DbUser app_iam @aws -WhatIf | Should -BeNullOrEmpty
    }

    It 'binds the endpoint by property name' {
        $tokens = [pscustomobject]@{ Endpoint = 'a.cluster-x.us-east-1.rds.amazonaws.com' }, [pscustomobject]@{ Endpoint = 'b.cluster-x.us-east-1.rds.amazonaws.com' } |
            New-AuroraAuthToken -DbUser app_iam @aws
        $tokens.Count | Should -Be 2
        $tokens[1] | Should -BeLike 'b.cluster-x.us-east-1.rds.amazonaws.com:3306/*'
    }
}

Describe 'Connect-AuroraMySql -IamAuthentication' -Tag 'MariaDB' {
    It 'refuses to send a token without TLS' {
        $null = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -IamAuthentication -DbUser app_iam -SslMode None @aws -ErrorVariable failure -ErrorAction SilentlyContinue 3>$null
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'SqlIamAuthenticationNeedsTls*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'logs in as the IAM user over verified TLS, keeping the token and keys out of the error' {
        $everything = Connect-AuroraMySql -Endpoint $sandbox.host -Port $sandbox.port -IamAuthentication -DbUser app_iam -SslCa $sandbox.caFile @aws -Verbose -ErrorVariable failure -ErrorAction SilentlyContinue *>&1 | Out-String
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'SqlAccessDenied*'
        $failure[0].Exception.Message | Should -Match "'app_iam'"
        ($everything + ($failure | Out-String)) | Should -Not -Match 'X-Amz-Signature|wJalrXUtnFEMI'
    }

    It 'needs -DbUser, not -SqlCredential' {
        (Get-Command Connect-AuroraMySql) | Should -HaveParameter DbUser
        { Connect-AuroraMySql -Endpoint $sandbox.host -IamAuthentication -SqlCredential ([pscredential]::new('x', (ConvertTo-SecureString 'y' -AsPlainText -Force))) -DbUser a } | Should -Throw -ErrorId 'AmbiguousParameterSet,AuroraSecurity.PowerShell.Commands.ConnectAuroraMySqlCommand'
    }
}

# Assumed-role and IAM Identity Center profiles need AWSSDK.SecurityToken, AWSSDK.SSO and AWSSDK.SSOOIDC, which the module
# ships in its own load context beside AWSSDK.Core: such a profile gets as far as calling STS or reading the SSO token cache.
BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:TestHome = Join-Path ([System.IO.Path]::GetTempPath()) ("aurora-profiles-" + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path (Join-Path $TestHome '.aws') -Force | Out-Null
    $script:ConfigFile = Join-Path $TestHome '.aws/config'
    Set-Content -Path $ConfigFile -Value @"
[profile base]
aws_access_key_id = AKIDPROFILESTEST0001
aws_secret_access_key = profiles-test/secret

[profile auditor]
role_arn = arn:aws:iam::111111111111:role/Auditor
source_profile = base
region = us-east-1

[profile ssouser]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Auditor
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
"@
    $script:Saved = @{}
    foreach ($name in 'HOME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL_STS', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY') {
        $Saved[$name] = [Environment]::GetEnvironmentVariable($name)
        Set-ProcessVariable $name $null
    }
    Set-ProcessVariable HOME $TestHome
    Set-ProcessVariable AWS_CONFIG_FILE $ConfigFile
    Set-ProcessVariable AWS_SHARED_CREDENTIALS_FILE (Join-Path $TestHome 'no-credentials')
    # Port 9 (discard) refuses: the role is assumed against it, so the failure proves STS was called.
    Set-ProcessVariable AWS_ENDPOINT_URL_STS 'http://127.0.0.1:9/'
}

AfterAll {
    foreach ($name in $Saved.Keys) { Set-ProcessVariable $name $Saved[$name] }
    Remove-Item $TestHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Profiles that need the STS and SSO assemblies' -Tag 'None' {
    It 'ships AWSSDK.SecurityToken, AWSSDK.SSO and AWSSDK.SSOOIDC beside AWSSDK.Core' {
        foreach ($framework in 'net8.0', 'netstandard2.0') {
            foreach ($assembly in 'AWSSDK.Core', 'AWSSDK.SecurityToken', 'AWSSDK.SSO', 'AWSSDK.SSOOIDC') {
                Join-Path (Split-Path $ModuleManifest) "$framework/Dependencies/$assembly.dll" | Should -Exist
            }
        }
    }

    # The AWS SDK reads AWS_CONFIG_FILE once per process, at its first use: a fresh PowerShell sees this file whatever
    # ran before in this one.
    It 'an assumed-role profile calls STS instead of failing to load AWSSDK.SecurityToken' {
        $output = Invoke-NonInteractivePowerShell @"
Import-Module '$ModuleManifest'
try { Get-AuroraCluster -ProfileName auditor -EndpointUrl 'http://127.0.0.1:9/' -ErrorAction Stop; 'NO ERROR' } catch { 'ERROR ' + `$_.Exception.ToString() }
`$sts = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AWSSDK.SecurityToken' }
'CONTEXT ' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$sts[0]).Name
"@
        $output | Should -Match 'ERROR '
        $output | Should -Not -Match 'could not be found or loaded'
        $output | Should -Match 'AssumeRole|arn:aws:iam::111111111111:role/Auditor'
        $output | Should -Match 'CONTEXT AuroraSecurity.Dependencies'
    }

    It 'an sso_session profile looks for the token aws sso login caches instead of failing to load AWSSDK.SSOOIDC' {
        $output = Invoke-NonInteractivePowerShell @"
Import-Module '$ModuleManifest'
try { Get-AuroraCluster -ProfileName ssouser -EndpointUrl 'http://127.0.0.1:9/' -ErrorAction Stop; 'NO ERROR' } catch { 'ERROR ' + `$_.Exception.ToString() }
"@
        $output | Should -Match 'ERROR '
        $output | Should -Not -Match 'could not be found or loaded'
        $output | Should -Not -Match "profile 'ssouser' \(-ProfileName\) was not found"
        $output | Should -Match 'SSO'
    }
}

# Every SQL cmdlet connects with Connect-AuroraMySql's parameters: a password, IAM database authentication or a connection
# string, with the same TLS settings. They are declared once, so the names, types, aliases, parameter sets and help text
# cannot drift apart; the IAM login is checked against the sandbox: an account without IAM ends in access denied after
# the token crossed verified TLS, and an account of the sandbox's IAM token check logs in.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:SqlCommands = Get-Command -Module AuroraSecurity -CommandType Cmdlet |
        Where-Object { $_.ImplementingType.IsSubclassOf([AuroraSecurity.PowerShell.Commands.SqlCmdlet]) } |
        ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'SessionHelpers.ps1')
    Import-Module $ModuleManifest -Force
    Import-Module (Join-Path $RepoRoot 'build/HelpPages.psm1') -Force

    $script:Connection = 'Endpoint', 'Port', 'ConnectionString', 'SqlCredential', 'IamAuthentication', 'DbUser', 'ClusterIdentifier', 'UseManagedMasterSecret', 'SslCa', 'SslMode', 'TlsVersion', 'TlsCipherSuite'
    $script:Aws = 'Region', 'AccessKey', 'SecretKey', 'SessionToken', 'ProfileName', 'ProfileLocation', 'Credential', 'EndpointUrl', 'RoleArn', 'ExternalId', 'RoleSessionName'
    $script:Reference = Get-Command Connect-AuroraMySql

    # A parameter as a user meets it: type, aliases, and in which parameter set it is mandatory or optional.
    function Get-ParameterShape([System.Management.Automation.CommandInfo] $Command, [string] $Name) {
        $parameter = $Command.Parameters[$Name]
        $sets = foreach ($set in $parameter.ParameterSets.Keys | Where-Object { $_ -ne 'Session' } | Sort-Object) {
            '{0}:{1}' -f $set, $parameter.ParameterSets[$set].IsMandatory
        }
        '[{0}] aliases ({1}) sets ({2})' -f $parameter.ParameterType.FullName, ((@($parameter.Aliases) | Sort-Object) -join ', '), ($sets -join ', ')
    }
}

Describe 'The connection parameters of <Name>' -ForEach $SqlCommands -Tag 'None' {
    BeforeAll {
        $command = Get-Command $Name
    }

    It 'are Connect-AuroraMySql''s: the same names, types, aliases and parameter sets' {
        foreach ($parameter in $Connection + $Aws) {
            $command | Should -HaveParameter $parameter
            Get-ParameterShape $command $parameter | Should -Be (Get-ParameterShape $Reference $parameter) -Because "-$parameter of $Name"
        }
    }

    It 'takes a session or the connection parameters, not both' {
        $command.Parameters['Session'].ParameterSets.Keys | Should -Be 'Session'
        foreach ($parameter in $Connection) {
            $command.Parameters[$parameter].ParameterSets.Keys | Should -Not -Contain 'Session' -Because "-$parameter is for connecting"
        }
        @($command.ParameterSets.Name | Sort-Object) | Should -Contain 'Iam'
    }

    It 'documents each shared connection parameter with Connect-AuroraMySql''s words' {
        $page = Read-HelpPage (Join-Path $RepoRoot "docs/help/$Name.md")
        $connect = Read-HelpPage (Join-Path $RepoRoot 'docs/help/Connect-AuroraMySql.md')
        # The endpoint, the connection string (Connect-AuroraMySql's also names -Database) and the login's rights differ by cmdlet.
        foreach ($parameter in @($Connection + $Aws) | Where-Object { $_ -notin 'Endpoint', 'ConnectionString', 'SqlCredential' }) {
            $page.Parameters[$parameter] | Should -Be $connect.Parameters[$parameter] -Because "-$parameter of $Name"
        }
    }
}

Describe 'The SQL cmdlets' -Tag 'None' {
    It 'are all the cmdlets that connect to an endpoint' {
        $SqlCommands.Count | Should -BeGreaterOrEqual 12
        $SqlCommands.Name | Should -Contain 'Get-AuroraDbUser'
        $SqlCommands.Name | Should -Contain 'Invoke-RdsKill'
        $SqlCommands.Name | Should -Contain 'Set-AuroraUserSsl'
    }
}

# The cmdlets that log in to each cluster's writer endpoint (found through RDS) take one set of login parameters, read by
# one piece of code, so a runbook that audits with a way to log in repairs with the same.
Describe 'The per-cluster login of Invoke-AuroraSecurityAudit and Repair-AuroraSecurityFinding' -Tag 'None' {
    It 'is the same parameters: names, types and aliases' {
        $audit = Get-Command Invoke-AuroraSecurityAudit
        $repair = Get-Command Repair-AuroraSecurityFinding
        foreach ($parameter in 'SqlCredential', 'IamAuthentication', 'DbUser', 'UseManagedMasterSecret', 'SslCa', 'SslMode') {
            $repair | Should -HaveParameter $parameter
            Get-ParameterShape $repair $parameter | Should -Be (Get-ParameterShape $audit $parameter) -Because "-$parameter"
        }
    }

    It 'refuses <Name> before any request, saying what to pass' -ForEach @(
        @{ Name = 'a password and IAM'; Login = @{ SqlCredential = 'password'; IamAuthentication = $true; DbUser = 'auditor' }; Message = '*either -SqlCredential or -IamAuthentication -DbUser*' }
        @{ Name = 'IAM and the managed secret'; Login = @{ IamAuthentication = $true; DbUser = 'auditor'; UseManagedMasterSecret = $true }; Message = '*leave out -IamAuthentication*' }
        @{ Name = 'IAM without a user'; Login = @{ IamAuthentication = $true }; Message = '*-IamAuthentication needs -DbUser*' }
        @{ Name = 'a user without IAM'; Login = @{ DbUser = 'auditor'; UseManagedMasterSecret = $true }; Message = '*the user its secret names*' }
        @{ Name = 'a credential of another type'; Login = @{ SqlCredential = 42 }; Message = '*not a Int32*' }
    ) {
        if ($Login.SqlCredential -eq 'password') { $Login.SqlCredential = [pscredential]::new('admin', (ConvertTo-SecureString 'Pw-0' -AsPlainText -Force)) }
        # An endpoint nothing listens on: a request would fail otherwise than with the message.
        { Invoke-AuroraSecurityAudit @Login -Region us-east-1 -AccessKey AKIDNOTUSED0000000001 -SecretKey not-used -EndpointUrl http://127.0.0.1:9/ -ErrorAction Stop } |
            Should -Throw -ExpectedMessage $Message
    }

    It 'documents the hashtable form and the managed secret on both' {
        $audit = Read-HelpPage (Join-Path $RepoRoot 'docs/help/Invoke-AuroraSecurityAudit.md')
        $repair = Read-HelpPage (Join-Path $RepoRoot 'docs/help/Repair-AuroraSecurityFinding.md')
        foreach ($parameter in 'IamAuthentication', 'SslMode') {
            $repair.Parameters[$parameter] | Should -Not -BeNullOrEmpty
        }
        $repair.Parameters['SqlCredential'] | Should -Match 'hashtable\s+of\s+cluster\s+identifier\s+to\s+PSCredential'
        $audit.Parameters['SqlCredential'] | Should -Match 'hashtable\s+of\s+cluster\s+identifier\s+to\s+PSCredential'
        $repair.Parameters['UseManagedMasterSecret'] | Should -BeLike '*MasterUserSecret*'
    }
}

Describe 'A SQL cmdlet that connects itself' -Tag 'MariaDB' {
    BeforeAll {
        $sandbox = Get-TestSandbox
        $credential = New-SandboxCredential $sandbox
        $aws = @{ Region = 'us-east-1'; AccessKey = 'AKIDEXAMPLE'; SecretKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
    }

    It 'logs in with IAM authentication: a token for -DbUser goes over verified TLS and stays out of every stream' {
        # A failed login stops the cmdlet (a terminating error): caught here with everything else the cmdlet wrote.
        $everything = & { try { Get-AuroraDbUser -Endpoint $sandbox.host -Port $sandbox.port -IamAuthentication -DbUser app_iam -SslCa $sandbox.caFile @aws -Verbose } catch { $_ } } *>&1
        $failure = @($everything | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $failure[0].FullyQualifiedErrorId | Should -Be 'SqlAccessDenied,AuroraSecurity.PowerShell.Commands.GetAuroraDbUserCommand'
        $failure[0].Exception.Message | Should -Match "'app_iam'"
        $text = ($everything | Out-String) + ($failure | Format-List * -Force | Out-String)
        $text | Should -Match "as 'app_iam' with an IAM auth token with SslMode VerifyFull"
        # The server saw a login as app_iam that carried a password: the token.
        Get-GeneralLog $sandbox | Where-Object { $_.Command -eq 'Connect' -and $_.Argument -match "'app_iam'.*using password: YES" } | Should -Not -BeNullOrEmpty
        $text | Should -Not -Match 'X-Amz-Signature|X-Amz-Credential|wJalrXUtnFEMI'
    }

    It 'lists the accounts as an IAM user the server let in after checking the token''s signature' {
        $user = "iam_sqlcmd_$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-SandboxIamUser $sandbox -User $user -AccessKey $aws.AccessKey -SecretKey $aws.SecretKey -Grant 'SELECT ON mysql.*'
        try {
            $everything = Get-AuroraDbUser -Endpoint $sandbox.host -Port $sandbox.port -IamAuthentication -DbUser $user -SslCa $sandbox.caFile @aws -Verbose *>&1
            @($everything | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
            @($everything | Where-Object { $_.PSObject.Properties['User'] -and $_.User -eq $user }).Count | Should -Be 1 -Because 'the IAM account sees itself among the accounts'
            @(Get-SandboxIamDecision $sandbox) -like "* $user accepted" | Should -Not -BeNullOrEmpty -Because "the server checked the token and let $user in"
            ($everything | Out-String -Width 400) | Should -Not -Match 'X-Amz-Signature|X-Amz-Credential|wJalrXUtnFEMI'
        }
        finally { & mariadb --no-defaults --protocol=socket "--socket=$($sandbox.socket)" "-u$($sandbox.rootSocketUser)" -e "DROP USER IF EXISTS '$user'@'%'" }
    }

    It 'makes no token under a mode that can fall back to plaintext' {
        foreach ($mode in 'None', 'Preferred') {
            $failure = & { try { Test-AuroraUserSsl -Endpoint $sandbox.host -Port $sandbox.port -IamAuthentication -DbUser app_iam -SslMode $mode @aws } catch { $_ } } 2>&1 3>$null
            @($failure)[0].FullyQualifiedErrorId | Should -BeLike 'SqlIamAuthenticationNeedsTls,*' -Because "-SslMode $mode"
        }
    }

    It 'takes the AWS credentials for the token as Connect-AuroraMySql does: a missing profile is an error, not a fall-through' {
        { Get-AuroraSession -Endpoint $sandbox.host -Port $sandbox.port -IamAuthentication -DbUser app_iam -SslCa $sandbox.caFile -Region us-east-1 -ProfileName no-such-profile-here -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*no-such-profile-here*'
    }

    It 'logs in with a connection string and -SqlCredential, with TLS settings beside it' {
        $string = "Server=$($sandbox.host);Port=$($sandbox.port);SslMode=VerifyFull"
        $users = Get-AuroraDbUser -ConnectionString $string -SqlCredential $credential -SslCa $sandbox.caFile -TlsVersion TLSv1.2
        $users.User | Should -Contain $sandbox.adminUser
    }
}

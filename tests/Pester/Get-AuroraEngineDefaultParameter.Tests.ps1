BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
}

AfterAll { Stop-RdsDouble $Double }

Describe 'Get-AuroraEngineDefaultParameter' -Tag 'RdsDouble' {
    It 'returns every page of a family' {
        $all = Get-AuroraEngineDefaultParameter -Family aurora-mysql5.7 @Aws
        $all.Count | Should -BeGreaterThan 100
        ($all.ParameterName | Sort-Object -Unique).Count | Should -Be $all.Count
    }

    It 'filters by wildcard names' {
        $tls = Get-AuroraEngineDefaultParameter aurora-mysql5.7 -Name ssl_cipher, '*secure_transport', 'tls*' @Aws
        $tls.ParameterName | Sort-Object | Should -Be @('require_secure_transport', 'ssl_cipher', 'tls_version')
        ($tls | Where-Object ParameterName -eq ssl_cipher).ApplyType | Should -Be 'static'
    }

    It 'binds ParameterGroupFamily from Get-AuroraTlsConfig output' {
        $result = Get-AuroraTlsConfig analytics @Aws | Get-AuroraEngineDefaultParameter -Name tls_version @Aws
        $result | Should -BeNullOrEmpty -Because 'aurora-mysql8.0 has no tls_version'
        (Get-AuroraTlsConfig analytics @Aws | Get-AuroraEngineDefaultParameter -Name ssl_cipher @Aws).Family | Should -Be 'aurora-mysql8.0'
    }

    It 'reports an unknown family as an error' {
        $null = Get-AuroraEngineDefaultParameter -Family aurora-mysql9.9 @Aws -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RdsInvalidArgument*'
        $failures[0].Exception.Message | Should -Match 'aurora-mysql9.9'
    }

    It 'has the AWS.Tools parameters and aliases' {
        $command = Get-Command Get-AuroraEngineDefaultParameter
        $command | Should -HaveParameter Family -Mandatory -Alias ParameterGroupFamily, DBParameterGroupFamily
        $command | Should -HaveParameter Region -Alias RegionToCall
        $command | Should -HaveParameter AccessKey -Alias AK
        $command | Should -HaveParameter SecretKey -Alias SK, SecretAccessKey
        $command | Should -HaveParameter SessionToken -Alias ST
        $command | Should -HaveParameter ProfileName -Alias StoredCredentials, AWSProfileName
        $command | Should -HaveParameter ProfileLocation -Alias AWSProfilesLocation, ProfilesLocation
        $command | Should -HaveParameter Credential
        $command | Should -HaveParameter EndpointUrl
    }
}

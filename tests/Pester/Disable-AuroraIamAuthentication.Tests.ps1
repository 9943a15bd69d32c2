BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Double = Start-RdsDouble
    $script:Aws = Get-RdsDoubleParameters $Double
}

AfterAll {
    Stop-RdsDouble $Double
}

Describe 'Disable-AuroraIamAuthentication' -Tag 'RdsDouble' {
    It 'reports a cluster that does not exist as an error for that cluster and changes the others' {
        $results = 'nope', 'analytics' | Disable-AuroraIamAuthentication -Force @Aws -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $results.ClusterIdentifier | Should -Be 'analytics'
        $results.IamDatabaseAuthenticationEnabled | Should -BeFalse
        $failed.Count | Should -Be 1
        $failed[0].Exception.Message | Should -Match "'nope'"
    }
}

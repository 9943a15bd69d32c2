BeforeAll {
    . (Join-Path $PSScriptRoot 'ChangeTestHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

# Every scenario runs against both ways the double answers: full, and minimal (a terse RDS that leaves optional fields
# out, holds ModifyDBCluster settings in PendingModifiedValues and shows parameter changes late).
Describe 'Disable-AuroraIamAuthentication (<_> answers)' -ForEach 'full', 'minimal' -Tag 'RdsDouble' {
    BeforeAll {
        $script:Mode = $_
        $script:Double = Start-RdsDouble -Mode $_ -ParameterDelayMs 300
        $script:Aws = Get-RdsDoubleParameters $Double
    }

    AfterAll {
        Stop-RdsDouble $Double
    }

    It 'reports a cluster that does not exist as an error for that cluster and changes the others' {
        $results = 'nope', 'analytics' | Disable-AuroraIamAuthentication -Force @Aws -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $results.ClusterIdentifier | Should -Be 'analytics'
        $results.Change | Should -Be ($Mode -eq 'full' ? 'Applied' : 'Pending')
        $results.IamDatabaseAuthenticationEnabled | Should -Be ($Mode -ne 'full')
        $failed.Count | Should -Be 1
        $failed[0].Exception.Message | Should -Match "'nope'"
    }
}

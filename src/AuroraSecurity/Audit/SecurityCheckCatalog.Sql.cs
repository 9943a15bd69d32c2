using System.Collections.Generic;

namespace AuroraSecurity.Audit
{
    /// <summary>The checks that read evidence inside the database (SQL) or from the endpoints themselves (TLS handshakes).</summary>
    public static partial class SecurityCheckCatalog
    {
        public const string AccountsRequireTls = "AURSEC-SQL-001";
        public const string NoAnonymousAccount = "AURSEC-SQL-002";
        public const string NoPasswordAccountFromAnyHost = "AURSEC-SQL-003";
        public const string NoExtraAdministrator = "AURSEC-SQL-004";
        public const string MasterUserNotShared = "AURSEC-SQL-005";
        public const string ServerRequireSecureTransport = "AURSEC-SQL-006";
        public const string ServerTlsVersion = "AURSEC-SQL-007";
        public const string WireOldProtocols = "AURSEC-PRB-001";
        public const string WireNoDhe = "AURSEC-PRB-002";
        public const string WireMatchesGroup = "AURSEC-PRB-003";

        /// <summary>The reason SQL checks give when the audit was not asked to log in.</summary>
        public const string NeedsSqlCredential = "needs -SqlCredential (or -IamAuthentication -DbUser, or -UseManagedMasterSecret): the audit did not log in to the cluster.";

        /// <summary>The reason wire checks give when the audit was not asked to probe.</summary>
        public const string NeedsProbeEndpoint = "needs -ProbeEndpoint: the audit did not probe the endpoints.";

        private static IEnumerable<SecurityCheck> SqlChecks() => new[]
        {
            new SecurityCheck(AccountsRequireTls, "Every login account requires TLS", FindingSeverity.High, CheckEvidence.Sql,
                "Test-AuroraUserSsl -Endpoint <writer endpoint of {0}> -SqlCredential <master> | Where-Object {{ -not $_.Compliant }} | Set-AuroraUserSsl -Require",
                "An account created without REQUIRE SSL may log in without encryption whenever require_secure_transport is OFF, or wherever the setting drifts. Reserved accounts and roles are not counted."),
            new SecurityCheck(NoAnonymousAccount, "No anonymous accounts", FindingSeverity.High, CheckEvidence.Sql,
                "Remove-AuroraDbUser -User '' -HostName <host> on {0}",
                "An account with an empty user name lets anyone log in from its host pattern under any name."),
            new SecurityCheck(NoPasswordAccountFromAnyHost, "No password account may connect from any host", FindingSeverity.Medium, CheckEvidence.Sql,
                "Rename-AuroraDbUser -NewHostName <the application's subnet, e.g. 10.0.%> for the listed accounts of {0}, or move them to IAM authentication",
                "A password account with host '%' accepts its password from anywhere the network lets through; narrowing the host pattern limits where a leaked password works."),
            new SecurityCheck(NoExtraAdministrator, "Only the master user holds global administrative privileges", FindingSeverity.High, CheckEvidence.Sql,
                "Revoke-AuroraPrivilege -Privilege <listed privileges> -On *.* -User <user> -HostName <host> for each listed account of {0}",
                "ALL, SUPER, CREATE USER on *.* and the dynamic *_ADMIN privileges of Aurora MySQL 3 let an account change security settings and other accounts. Reserved accounts and the master user are not counted."),
            new SecurityCheck(MasterUserNotShared, "The master user is not used by other hosts", FindingSeverity.Medium, CheckEvidence.Sql,
                "Give each application on the listed hosts an account of its own (New-AuroraDbUser, Grant-AuroraPrivilege) and rotate the master user's password on {0}",
                "The Aurora MySQL User Guide's security chapter advises against applications using the master user: its privileges are the cluster's widest."),
            new SecurityCheck(ServerRequireSecureTransport, "The server enforces the group's require_secure_transport", FindingSeverity.High, CheckEvidence.Sql,
                "Check the parameter group status of the instances of {0} (Get-AuroraCluster) and reboot any instance that is not in-sync",
                "What the cluster parameter group says and what the server runs can differ: a group attached but not yet applied, or an instance that did not pick up the change."),
            new SecurityCheck(ServerTlsVersion, "The server runs the group's tls_version", FindingSeverity.Medium, CheckEvidence.Sql,
                "Reboot the instances of {0} that are pending-reboot, one at a time in a maintenance window, the writer last",
                "tls_version is static: a server keeps the protocols it started with until it reboots, whatever the group says now."),
        };

        private static IEnumerable<SecurityCheck> WireChecks() => new[]
        {
            new SecurityCheck(WireOldProtocols, "The endpoints refuse TLS 1.0 and 1.1", FindingSeverity.Medium, CheckEvidence.Wire,
                "Set-AuroraTlsVersion -ClusterIdentifier {0} -MinimumTlsVersion TLSv1.2 (Aurora MySQL 2) or restrict ssl_cipher to TLS 1.2 ciphers (Aurora MySQL 3), then reboot",
                "What a handshake actually accepts is the proof: TLS 1.0 and 1.1 are deprecated and a server that accepts them lets an old client negotiate down."),
            new SecurityCheck(WireNoDhe, "The endpoints accept no DHE cipher where ECDHE is accepted", FindingSeverity.Low, CheckEvidence.Wire,
                "Set-AuroraCipherSuite -ClusterIdentifier {0} -Cipher ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES128-GCM-SHA256, then reboot",
                "An endpoint that completes a DHE handshake although it has ECDHE ciphers offers a slower, weaker key exchange than it needs to."),
            new SecurityCheck(WireMatchesGroup, "The endpoints accept nothing the parameter group excludes", FindingSeverity.Medium, CheckEvidence.Wire,
                "Reboot the instances of {0} that are pending-reboot, one at a time in a maintenance window, the writer last",
                "ssl_cipher and tls_version are static: an endpoint that accepts a protocol or cipher the group leaves out is running older values than the group's."),
        };
    }
}

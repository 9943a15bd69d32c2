using System;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Accounts;
using AuroraSecurity.Sql.Sessions;
using AuroraSecurity.Tls;
using Xunit;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>The SQL and probe checks on evidence built in memory: the cases a MariaDB sandbox cannot produce (Aurora MySQL 3's dynamic privileges, other client hosts, a client that cannot offer TLS 1.0).</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class SqlAndWireCheckTests
    {
        private static readonly DateTime Now = new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);

        [Fact]
        public void DynamicAdminPrivilegesOfAuroraMySql3AreAdministrativeButNotForTheMasterUserReservedAccountsOrRoles()
        {
            var e = Evidence(sql: Sql(
                accounts: new[] { Account("admin", "%"), Account("ops", "10.0.%", SslType.Any), Account("rdsadmin", "localhost"), Account("dba_role", "%", isRole: true), Account("reader", "%", SslType.Any) },
                privileges: new[]
                {
                    new GlobalPrivilege("admin", "%", "SYSTEM_VARIABLES_ADMIN", true),
                    new GlobalPrivilege("ops", "10.0.%", "CONNECTION_ADMIN", false),
                    new GlobalPrivilege("ops", "10.0.%", "SELECT", false),
                    new GlobalPrivilege("rdsadmin", "localhost", "SUPER", true),
                    new GlobalPrivilege("dba_role", "%", "ROLE_ADMIN", false),
                    new GlobalPrivilege("reader", "%", "SELECT", false),
                }));
            var finding = Evaluate(SecurityCheckCatalog.NoExtraAdministrator, e);
            Assert.Equal(FindingStatus.Fail, finding.Status);
            Assert.Equal("Accounts on orders.cluster-x besides the master user that hold global administrative privileges, 1 in all: 'ops'@'10.0.%' (CONNECTION_ADMIN).", finding.Reason);
        }

        [Fact]
        public void MasterUserFromAnotherHostFailsWithHostsAndCountsTheAuditingHostIsExempt()
        {
            var sessions = new[] { Session(1, "admin", "10.0.0.5:5123"), Session(2, "admin", "10.0.0.5:5124"), Session(3, "admin", "10.0.0.9:40000"), Session(4, "admin", "192.0.2.10:1") };
            var e = Evidence(sql: Sql(sessions: sessions, auditingHost: "192.0.2.10"));
            var finding = Evaluate(SecurityCheckCatalog.MasterUserNotShared, e);
            Assert.Equal(FindingStatus.Fail, finding.Status);
            Assert.Contains("from 10.0.0.5 (2 sessions), 10.0.0.9 (1 session)", finding.Reason);
            Assert.Contains("auditing host 192.0.2.10 are not counted", finding.Reason);
            Assert.DoesNotContain("192.0.2.10 (", finding.Reason);
        }

        [Fact]
        public void MasterUserUnknownIsAWarningNeverAPass()
        {
            var e = Evidence(sql: Sql(), masterUser: null);
            Assert.Equal(FindingStatus.Warning, Evaluate(SecurityCheckCatalog.MasterUserNotShared, e).Status);
        }

        [Fact]
        public void AccountWithoutTlsIsAWarningWhileTheServerRequiresSecureTransportAndAFailOtherwise()
        {
            var accounts = new[] { Account("app", "10.%"), Account("rds_superuser_role", "%", isRole: true), Account("mysql.sys", "localhost") };
            Assert.Equal(FindingStatus.Warning, Evaluate(SecurityCheckCatalog.AccountsRequireTls, Evidence(sql: Sql(accounts: accounts, requireSecureTransport: "ON"))).Status);
            var off = Evaluate(SecurityCheckCatalog.AccountsRequireTls, Evidence(sql: Sql(accounts: accounts, requireSecureTransport: "OFF")));
            Assert.Equal(FindingStatus.Fail, off.Status);
            Assert.Contains("1 of 1 login accounts", off.Reason);
            Assert.Contains("'app'@'10.%'", off.Reason);
        }

        [Fact]
        public void AnyHostIamUsersAndRolesAreNotPasswordLogins()
        {
            var accounts = new[] { Account("iam_app", "%", SslType.Any, plugin: "AWSAuthenticationPlugin"), Account("r", "%", isRole: true), Account("admin", "%") };
            var finding = Evaluate(SecurityCheckCatalog.NoPasswordAccountFromAnyHost, Evidence(sql: Sql(accounts: accounts)));
            Assert.Equal(FindingStatus.Pass, finding.Status);
        }

        [Fact]
        public void RequireSecureTransportDriftGroupOffServerOnIsAWarningAndUnknownServerValueIsNeverAPass()
        {
            var groupOff = Tls(requireSecureTransport: false);
            Assert.Equal(FindingStatus.Warning, Evaluate(SecurityCheckCatalog.ServerRequireSecureTransport, Evidence(sql: Sql(requireSecureTransport: "ON"), tls: groupOff)).Status);
            Assert.Equal(FindingStatus.Warning, Evaluate(SecurityCheckCatalog.ServerRequireSecureTransport, Evidence(sql: Sql(requireSecureTransport: null), tls: Tls(requireSecureTransport: true))).Status);
            var applying = Evidence(sql: Sql(requireSecureTransport: "OFF"), tls: Tls(requireSecureTransport: true), memberStatus: "applying");
            var drift = Evaluate(SecurityCheckCatalog.ServerRequireSecureTransport, applying);
            Assert.Equal(FindingStatus.Fail, drift.Status);
            Assert.Contains("the group is not yet applied: orders-1 (applying)", drift.Reason);
        }

        [Fact]
        public void RequireSecureTransportDriftGroupValueUnknownIsAWarningNamingTheFieldNeverAPass()
        {
            foreach (var server in new[] { "ON", "OFF", null })
            {
                var unknown = Tls(requireSecureTransport: null);
                unknown.RequireSecureTransportSource = null;
                unknown.UnknownFields = new[] { "require_secure_transport: the parameter listing of group 'custom' has no such parameter" };
                var finding = Evaluate(SecurityCheckCatalog.ServerRequireSecureTransport, Evidence(sql: Sql(requireSecureTransport: server), tls: unknown));
                Assert.Equal(FindingStatus.Warning, finding.Status);
                Assert.Contains("require_secure_transport", finding.Reason);
                Assert.Contains("unknown", finding.Reason);
            }
        }

        [Fact]
        public void TlsDriftNeedsTheGroupAnUnreadGroupIsAnError()
        {
            var e = Evidence(sql: Sql(requireSecureTransport: "OFF"));
            e.TlsConfig = null;
            e.TlsConfigError = new AuroraSecurityException("X", FailureKind.NotFound, "The group is gone.");
            Assert.Equal(FindingStatus.Error, Evaluate(SecurityCheckCatalog.ServerRequireSecureTransport, e).Status);
            Assert.Equal(FindingStatus.Fail, Evaluate(SecurityCheckCatalog.AccountsRequireTls, Evidence(sql: Sql(accounts: new[] { Account("a", "%") }))).Status);
        }

        [Fact]
        public void ProbeThatCouldNotOfferTls10IsAWarningThatSaysSoNeverAPass()
        {
            var wire = new[]
            {
                Probe(TlsProbeKind.Protocol, "TLSv1.0", null, "This client cannot offer TLSv1.0."),
                Probe(TlsProbeKind.Protocol, "TLSv1.1", false),
                Probe(TlsProbeKind.Protocol, "TLSv1.2", true),
            };
            var finding = Evaluate(SecurityCheckCatalog.WireOldProtocols, Evidence(wire: wire));
            Assert.Equal(FindingStatus.Warning, finding.Status);
            Assert.Contains("This client cannot offer TLSv1.0.", finding.Reason);
            Assert.Contains("limit of the probing client", finding.Reason);

            var accepted = wire.Append(Probe(TlsProbeKind.Protocol, "TLSv1.1", true, host: "orders-1.x")).ToArray();
            Assert.Equal(FindingStatus.Fail, Evaluate(SecurityCheckCatalog.WireOldProtocols, Evidence(wire: accepted)).Status);
        }

        [Fact]
        public void DheAcceptedBesideEcdheFailsAndUntestedCiphersAreAWarning()
        {
            var both = new[] { Probe(TlsProbeKind.Cipher, "ECDHE-RSA-AES256-GCM-SHA384", true), Probe(TlsProbeKind.Cipher, "DHE-RSA-AES256-GCM-SHA384", true) };
            var fail = Evaluate(SecurityCheckCatalog.WireNoDhe, Evidence(wire: both));
            Assert.Equal(FindingStatus.Fail, fail.Status);
            Assert.Contains("DHE-RSA-AES256-GCM-SHA384", fail.Reason);
            var untested = new[] { Probe(TlsProbeKind.Cipher, "ECDHE-RSA-AES256-GCM-SHA384", null, "Not tested: this platform cannot restrict the cipher suites") };
            Assert.Equal(FindingStatus.Warning, Evaluate(SecurityCheckCatalog.WireNoDhe, Evidence(wire: untested)).Status);
        }

        [Fact]
        public void OptInChecksWithoutTheirOptInAreNotApplicableWithTheReason()
        {
            var e = new ClusterEvidence(Cluster("admin", "in-sync"), Now) { TlsConfig = Tls(false) };
            foreach (var check in SecurityCheckCatalog.All.Where(c => c.Evidence == CheckEvidence.Sql))
            {
                var f = ClusterChecks.Evaluate(check, e);
                Assert.Equal(FindingStatus.NotApplicable, f.Status);
                Assert.Equal(SecurityCheckCatalog.NeedsSqlCredential, f.Reason);
            }

            foreach (var check in SecurityCheckCatalog.All.Where(c => c.Evidence == CheckEvidence.Wire))
            {
                Assert.Equal(SecurityCheckCatalog.NeedsProbeEndpoint, ClusterChecks.Evaluate(check, e).Reason);
            }
        }

        private static Finding Evaluate(string id, ClusterEvidence e) => ClusterChecks.Evaluate(SecurityCheckCatalog.Find(id)!, e);

        private static ClusterEvidence Evidence(SqlEvidence? sql = null, IReadOnlyList<TlsEndpointProbeResult>? wire = null, AuroraTlsConfig? tls = null, string? masterUser = "admin", string memberStatus = "in-sync")
        {
            var e = new ClusterEvidence(Cluster(masterUser, memberStatus), Now) { TlsConfig = tls ?? Tls(false) };
            if (sql != null)
            {
                e.Sql = sql;
                e.SqlNotRequested = null;
            }

            if (wire != null)
            {
                e.Wire = wire;
                e.WireNotRequested = null;
            }

            return e;
        }

        private static AuroraCluster Cluster(string? masterUser, string memberStatus) => new AuroraCluster
        {
            ClusterIdentifier = "orders",
            Region = "us-east-1",
            EngineVersion = "8.0.mysql_aurora.3.05.2",
            AuroraMajorVersion = 3,
            Endpoint = "orders.cluster-x",
            Port = 3306,
            ParameterGroupName = "custom",
            MasterUsername = masterUser,
            Members = new[] { new AuroraClusterMember("orders-1", true, memberStatus) },
        };

        private static AuroraTlsConfig Tls(bool? requireSecureTransport) => new AuroraTlsConfig
        {
            ClusterIdentifier = "orders",
            ParameterGroupName = "custom",
            EngineVersion = "8.0.mysql_aurora.3.05.2",
            AuroraMajorVersion = 3,
            RequireSecureTransport = requireSecureTransport,
            RequireSecureTransportSource = "user",
        };

        private static SqlEvidence Sql(IReadOnlyList<DbUser>? accounts = null, IReadOnlyList<GlobalPrivilege>? privileges = null, IReadOnlyList<SessionInfo>? sessions = null,
            string? auditingHost = "192.0.2.10", string? requireSecureTransport = "OFF") => new SqlEvidence
        {
            Endpoint = "orders.cluster-x",
            Port = 3306,
            User = "admin",
            Accounts = accounts ?? Array.Empty<DbUser>(),
            GlobalPrivileges = privileges ?? Array.Empty<GlobalPrivilege>(),
            MasterUserSessions = sessions ?? Array.Empty<SessionInfo>(),
            AuditingHost = auditingHost,
            Variables = new ServerTlsVariables { RequireSecureTransport = requireSecureTransport, TlsVersion = "TLSv1.2" },
        };

        private static DbUser Account(string user, string host, SslType ssl = SslType.None, bool isRole = false, string plugin = "mysql_native_password") => new DbUser(user, host, plugin, ssl, isRole);

        private static SessionInfo Session(long id, string user, string host) => new SessionInfo(id, user, host, null, "Sleep", 5, null, null);

        private static TlsEndpointProbeResult Probe(TlsProbeKind kind, string name, bool? accepted, string? detail = null, string host = "orders.cluster-x") =>
            new TlsEndpointProbeResult { Endpoint = host, Port = 3306, Kind = kind, Name = name, Accepted = accepted, Detail = detail, CipherRestrictionSupported = true };
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AuroraSecurity.Engine;
using AuroraSecurity.Rds;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Audit
{
    /// <summary>The checks of the control plane (network, data protection, logging, identity, maintenance); no I/O, unknown evidence never passes.</summary>
    internal static class ControlPlaneChecks
    {
        public const string NoEncryptionInRegion =
            "The Aurora MySQL User Guide's security chapter says encryption of a database instance and snapshots is not supported in China (Ningxia), cn-northwest-1.";

        private const int DefaultPort = 3306;
        private static readonly string[] BurstablePrefixes = { "db.t2.", "db.t3.", "db.t4g." };
        private static readonly string[] DefaultMasterUsernames = { "admin" };

        public static CheckVerdict NotPubliclyAccessible(ClusterEvidence e)
        {
            if (!TryInstances(e, out var instances, out var none)) return none!;
            var open = instances.Where(i => i.PubliclyAccessible == true).Select(i => i.DBInstanceIdentifier).ToList();
            var unknown = instances.Where(i => i.PubliclyAccessible == null).Select(i => i.DBInstanceIdentifier).ToList();
            if (open.Count > 0) return CheckVerdict.Fail($"Publicly accessible: {Join(open)} (PubliclyAccessible true).", $"Edit-RDSDBInstance -DBInstanceIdentifier {open[0]} -PubliclyAccessible $false -ApplyImmediately $true" + More(open));
            if (unknown.Count > 0) return Unknown($"RDS did not report PubliclyAccessible for {Join(unknown)}.");
            return CheckVerdict.Pass($"No instance is publicly accessible ({Join(instances.Select(i => i.DBInstanceIdentifier))}).");
        }

        public static CheckVerdict NoBurstableClass(ClusterEvidence e)
        {
            if (!TryInstances(e, out var instances, out var none)) return none!;
            var burstable = instances.Where(i => i.DBInstanceClass != null && BurstablePrefixes.Any(p => i.DBInstanceClass.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                .Select(i => $"{i.DBInstanceIdentifier} ({i.DBInstanceClass})").ToList();
            var unknown = instances.Where(i => i.DBInstanceClass == null).Select(i => i.DBInstanceIdentifier).ToList();
            if (burstable.Count > 0)
            {
                return CheckVerdict.Warning($"Burstable instance classes, which the guide recommends only for development and test servers: {Join(burstable)}.");
            }

            if (unknown.Count > 0) return Unknown($"RDS did not report the instance class of {Join(unknown)}.");
            return CheckVerdict.Pass($"No burstable instance class: {Join(instances.Select(i => $"{i.DBInstanceIdentifier} ({i.DBInstanceClass})"))}.");
        }

        public static CheckVerdict AutoMinorVersionUpgrade(ClusterEvidence e)
        {
            if (!TryInstances(e, out var instances, out var none)) return none!;
            var off = instances.Where(i => i.AutoMinorVersionUpgrade == false).Select(i => i.DBInstanceIdentifier).ToList();
            var unknown = instances.Where(i => i.AutoMinorVersionUpgrade == null).Select(i => i.DBInstanceIdentifier).ToList();
            if (off.Count > 0) return CheckVerdict.Fail($"Automatic minor version upgrade is off on {Join(off)}.", $"Edit-RDSDBInstance -DBInstanceIdentifier {off[0]} -AutoMinorVersionUpgrade $true" + More(off));
            if (unknown.Count > 0) return Unknown($"RDS did not report AutoMinorVersionUpgrade for {Join(unknown)}.");
            return CheckVerdict.Pass($"Automatic minor version upgrade is on for every instance ({Join(instances.Select(i => i.DBInstanceIdentifier))}).");
        }

        public static CheckVerdict CurrentCertificateAuthority(ClusterEvidence e)
        {
            if (!TryInstances(e, out var instances, out var none)) return none!;
            var retired = new List<string>();
            var unknown = new List<string>();
            foreach (var i in instances)
            {
                if (i.CACertificateIdentifier == null)
                {
                    unknown.Add(i.DBInstanceIdentifier);
                    continue;
                }

                var why = RdsCertificateAuthorities.RetirementOf(i.CACertificateIdentifier);
                if (why != null) retired.Add($"{i.DBInstanceIdentifier} ({i.CACertificateIdentifier}, {why})");
            }

            if (retired.Count > 0) return CheckVerdict.Fail($"Instances on a retired CA: {Join(retired)}.");
            if (unknown.Count > 0) return Unknown($"RDS did not report the CA of {Join(unknown)}.");
            return CheckVerdict.Pass($"Every instance uses a current CA: {Join(instances.Select(i => $"{i.DBInstanceIdentifier} ({i.CACertificateIdentifier})"))}.");
        }

        public static CheckVerdict NoOpenSecurityGroup(ClusterEvidence e)
        {
            var cluster = e.Cluster;
            if (cluster.VpcSecurityGroupIds == null) return Unknown("RDS did not report the cluster's VPC security groups.");
            if (cluster.VpcSecurityGroupIds.Count == 0) return Unknown("RDS reports no VPC security group for the cluster, so who may reach it cannot be told.");
            if (cluster.Port == null) return Unknown("RDS did not report the cluster's port.");
            var port = cluster.Port.Value;
            var groups = e.SecurityGroups ?? new Ec2.Ec2SecurityGroup[0];
            // With the baseline's AllowedCidrs, any network outside them counts; without, only the whole internet does.
            var allowed = e.Settings.AllowedCidrs.Select(c => Ec2.CidrBlock.TryParse(c, out var block, out _) ? block : null).Where(b => b != null).Select(b => b!).ToList();
            var allowlist = allowed.Count > 0;
            var allowedText = string.Join(", ", allowed.Select(b => b.Text));
            var open = new List<string>();
            var unclear = new List<string>();
            var missing = new List<string>();
            foreach (var id in cluster.VpcSecurityGroupIds)
            {
                var group = groups.FirstOrDefault(g => string.Equals(g.GroupId, id, StringComparison.Ordinal));
                if (group == null)
                {
                    missing.Add(id);
                    continue;
                }

                foreach (var rule in group.IngressRules)
                {
                    var outside = allowlist ? rule.RangesOutside(allowed) : rule.InternetRanges();
                    if (outside.Count == 0) continue;
                    var admits = rule.AdmitsTcpPort(port);
                    if (admits == true) open.Add($"{group}: {rule}");
                    else if (admits == null) unclear.Add($"{group}: {rule}");
                }
            }

            if (open.Count > 0)
            {
                if (allowlist)
                {
                    return CheckVerdict.Fail($"Port {port} is open to networks outside the baseline's AllowedCidrs ({allowedText}): {string.Join("; ", open)}.",
                        $"Revoke-EC2SecurityGroupIngress -GroupId {open[0].Split(' ')[0].TrimEnd(':')} for the rules from other networks; admit only {allowedText} or the application's security groups");
                }

                return CheckVerdict.Fail($"Port {port} is open to the whole internet: {string.Join("; ", open)}.",
                    $"Revoke-EC2SecurityGroupIngress -GroupId {open[0].Split(' ')[0].TrimEnd(':')} for the 0.0.0.0/0 and ::/0 rules; admit only the application's networks or security groups");
            }

            if (missing.Count > 0) return Unknown($"EC2 returned no security group {Join(missing)} (deleted, or not visible to these credentials).");
            if (unclear.Count > 0)
            {
                return Unknown((allowlist ? $"Rules from networks outside the baseline's AllowedCidrs ({allowedText})" : "Rules from the whole internet") +
                    $" whose ports EC2 did not report: {string.Join("; ", unclear)}.");
            }

            return CheckVerdict.Pass(allowlist
                ? $"No rule of {Join(cluster.VpcSecurityGroupIds)} admits port {port} from outside the baseline's AllowedCidrs ({allowedText})."
                : $"No rule of {Join(cluster.VpcSecurityGroupIds)} admits port {port} from 0.0.0.0/0 or ::/0.");
        }

        public static CheckVerdict SnapshotsEncrypted(ClusterEvidence e)
        {
            if (IsRegionWithoutEncryption(e)) return CheckVerdict.NotApplicable(NoEncryptionInRegion);
            var snapshots = e.Snapshots ?? new SnapshotEvidence[0];
            if (snapshots.Count == 0) return CheckVerdict.NotApplicable($"Cluster '{e.Cluster.ClusterIdentifier}' has no manual snapshots.");
            var plain = snapshots.Where(s => s.Snapshot.StorageEncrypted == false).Select(s => s.Snapshot.DBClusterSnapshotIdentifier).ToList();
            var unknown = snapshots.Where(s => s.Snapshot.StorageEncrypted == null).Select(s => s.Snapshot.DBClusterSnapshotIdentifier).ToList();
            if (plain.Count > 0) return CheckVerdict.Fail($"Unencrypted manual snapshots: {Join(plain)}.", $"Copy-RDSDBClusterSnapshot -SourceDBClusterSnapshotIdentifier {plain[0]} -TargetDBClusterSnapshotIdentifier {plain[0]}-encrypted -KmsKeyId <key>; then Remove-RDSDBClusterSnapshot -DBClusterSnapshotIdentifier {plain[0]}" + More(plain));
            if (unknown.Count > 0) return Unknown($"RDS did not report StorageEncrypted for snapshots {Join(unknown)}.");
            return CheckVerdict.Pass($"Every manual snapshot is encrypted ({Join(snapshots.Select(s => s.Snapshot.DBClusterSnapshotIdentifier))}).");
        }

        public static CheckVerdict SnapshotsNotPublic(ClusterEvidence e)
        {
            var snapshots = e.Snapshots ?? new SnapshotEvidence[0];
            if (snapshots.Count == 0) return CheckVerdict.NotApplicable($"Cluster '{e.Cluster.ClusterIdentifier}' has no manual snapshots.");
            var failed = snapshots.Where(s => s.Attributes == null).ToList();
            var shared = new List<string>();
            var open = new List<string>();
            foreach (var s in snapshots.Where(x => x.Attributes != null))
            {
                var restore = s.Attributes!.Where(a => a.AttributeName == RdsSnapshotAttribute.Restore).SelectMany(a => a.AttributeValues).ToList();
                if (restore.Contains(RdsSnapshotAttribute.Everyone, StringComparer.OrdinalIgnoreCase)) open.Add(s.Snapshot.DBClusterSnapshotIdentifier);
                else if (restore.Count > 0) shared.Add($"{s.Snapshot.DBClusterSnapshotIdentifier} (with {Join(restore)})");
            }

            if (open.Count > 0)
            {
                return CheckVerdict.Fail($"Snapshots every AWS account may restore (restore contains 'all'): {Join(open)}.",
                    $"Edit-RDSDBClusterSnapshotAttribute -DBClusterSnapshotIdentifier {open[0]} -AttributeName restore -ValuesToRemove all" + More(open));
            }

            if (failed.Count > 0)
            {
                return new CheckVerdict(FindingStatus.Error, $"The attributes of {Join(failed.Select(f => $"{f.Snapshot.DBClusterSnapshotIdentifier} ({f.AttributesError})"))} could not be read.",
                    "Fix the cause above and run the audit again.");
            }

            var text = $"No manual snapshot is public ({Join(snapshots.Select(s => s.Snapshot.DBClusterSnapshotIdentifier))})";
            return CheckVerdict.Pass(shared.Count > 0 ? $"{text}; shared with named accounts: {Join(shared)}." : text + ".");
        }

        public static CheckVerdict DeletionProtection(ClusterEvidence e) =>
            e.Cluster.DeletionProtection == true ? CheckVerdict.Pass("Deletion protection is on.")
            : e.Cluster.DeletionProtection == false ? CheckVerdict.Fail("Deletion protection is off: one DeleteDBCluster call deletes the cluster.")
            : Unknown("RDS did not report DeletionProtection.");

        public static CheckVerdict BackupRetention(ClusterEvidence e)
        {
            var days = e.Cluster.BackupRetentionPeriod;
            var minimum = e.Settings.MinimumBackupRetentionDays;
            if (days == null) return Unknown("RDS did not report BackupRetentionPeriod.");
            if (days.Value >= minimum) return CheckVerdict.Pass($"Automated backups are kept {days} days (at least {minimum}).");
            return CheckVerdict.Fail($"Automated backups are kept {days} day{(days == 1 ? string.Empty : "s")}, fewer than {minimum}.",
                $"Edit-RDSDBCluster -DBClusterIdentifier {e.Cluster.ClusterIdentifier} -BackupRetentionPeriod {minimum} -ApplyImmediately $true");
        }

        public static CheckVerdict CopyTagsToSnapshot(ClusterEvidence e) =>
            e.Cluster.CopyTagsToSnapshot == true ? CheckVerdict.Pass("CopyTagsToSnapshot is on.")
            : e.Cluster.CopyTagsToSnapshot == false ? CheckVerdict.Fail("CopyTagsToSnapshot is off: snapshots do not carry the cluster's tags.")
            : Unknown("RDS did not report CopyTagsToSnapshot.");

        public static CheckVerdict AuditLogging(ClusterEvidence e)
        {
            var parameters = e.ClusterParameters ?? new RdsParameter[0];
            var group = e.Cluster.ParameterGroupName ?? "unknown";
            var logging = parameters.FirstOrDefault(p => p.ParameterName == "server_audit_logging");
            var events = parameters.FirstOrDefault(p => p.ParameterName == "server_audit_events");
            if (logging == null) return Unknown($"Cluster parameter group '{group}' has no server_audit_logging (the engine may not support Advanced Auditing).");
            var on = string.Equals(logging.ParameterValue?.Trim(), "1", StringComparison.Ordinal) || string.Equals(logging.ParameterValue?.Trim(), "ON", StringComparison.OrdinalIgnoreCase);
            if (!on)
            {
                return CheckVerdict.Fail($"server_audit_logging is {Shown(logging.ParameterValue)} in '{group}': Advanced Auditing records nothing.",
                    AuditRecommendation(e, group));
            }

            if (events == null || string.IsNullOrWhiteSpace(events.ParameterValue))
            {
                return CheckVerdict.Fail($"server_audit_logging is 1 in '{group}', but server_audit_events is {(events == null ? "missing" : "empty")}: no event is recorded.",
                    AuditRecommendation(e, group));
            }

            return CheckVerdict.Pass($"server_audit_logging is 1 and server_audit_events is '{events.ParameterValue!.Trim()}' in '{group}'.");
        }

        public static CheckVerdict LogExport(ClusterEvidence e, string logType)
        {
            var exports = e.Cluster.EnabledCloudwatchLogsExports;
            if (exports == null) return Unknown("RDS did not report EnabledCloudwatchLogsExports.");
            if (exports.Contains(logType, StringComparer.OrdinalIgnoreCase)) return CheckVerdict.Pass($"The {logType} log is exported to CloudWatch Logs (exports: {Join(exports)}).");
            return CheckVerdict.Fail($"The {logType} log is not exported to CloudWatch Logs (exports: {(exports.Count == 0 ? "none" : Join(exports))}).");
        }

        public static CheckVerdict CustomMasterUsername(ClusterEvidence e)
        {
            var name = e.Cluster.MasterUsername;
            if (string.IsNullOrEmpty(name)) return Unknown("RDS did not report MasterUsername.");
            if (DefaultMasterUsernames.Contains(name, StringComparer.OrdinalIgnoreCase)) return CheckVerdict.Fail($"The master user is the default '{name}'.");
            return CheckVerdict.Pass($"The master user '{name}' is not a default name.");
        }

        public static CheckVerdict ManagedMasterPassword(ClusterEvidence e)
        {
            var arn = e.Cluster.MasterUserSecretArn;
            if (arn == null) return CheckVerdict.Fail("RDS reports no MasterUserSecret: the master password is not managed by RDS, so a person or a runbook holds it.");
            var status = e.Cluster.MasterUserSecretStatus;
            if (string.Equals(status, "impaired", StringComparison.OrdinalIgnoreCase))
            {
                return CheckVerdict.Fail($"The master password secret {arn} is impaired: RDS can no longer use or rotate it.",
                    "Give RDS access to the secret's KMS key again, or turn ManageMasterUserPassword off and on (Edit-RDSDBCluster)");
            }

            if (status == null) return Unknown($"RDS manages the master password in {arn} but did not report the secret's status.");
            return CheckVerdict.Pass($"RDS manages the master password in Secrets Manager ({arn}, {status}).");
        }

        public static CheckVerdict EngineStandardSupport(ClusterEvidence e)
        {
            var text = e.Cluster.EngineVersion;
            if (!AuroraEngineVersion.TryParse(text, out var version, out var error)) return Unknown($"The engine version '{text}' is not one the support calendar can read ({error}).");
            var entry = EngineSupportCalendar.For(version!);
            var upgrade = $"Upgrade {e.Cluster.ClusterIdentifier} to a supported Aurora MySQL version (Edit-RDSDBCluster -EngineVersion <version>); see {EngineSupportCalendar.Source}";
            if (entry.Unlisted) return CheckVerdict.Fail($"{version!.AuroraVersion} is out of standard support: {entry.Basis}.", upgrade);
            if (entry.EndOfStandardSupport is not DateTime end) return Unknown($"{version!.AuroraVersion}: {entry.Basis}.");
            var date = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (e.Now >= end.AddDays(1)) return CheckVerdict.Fail($"Standard support for {version!.AuroraVersion} ended on {date} ({entry.Basis}).", upgrade);
            var left = (int)Math.Ceiling((end.AddDays(1) - e.Now).TotalDays);
            if (left <= e.Settings.EngineSupportWarningDays)
            {
                return CheckVerdict.Warning($"Standard support for {version!.AuroraVersion} ends on {date}, in {left} days ({entry.Basis}).", upgrade);
            }

            return CheckVerdict.Pass($"{version!.AuroraVersion} is in standard support until {date} ({entry.Basis}).");
        }

        public static CheckVerdict NonDefaultPort(ClusterEvidence e) =>
            e.Cluster.Port == null ? Unknown("RDS did not report the cluster's port.")
            : e.Cluster.Port == DefaultPort ? CheckVerdict.Fail($"The cluster listens on the default port {DefaultPort}.")
            : CheckVerdict.Pass($"The cluster listens on port {e.Cluster.Port}, not the default {DefaultPort}.");

        public static CheckVerdict ProxyRequiresTls(ClusterEvidence e)
        {
            var proxies = e.Proxies ?? new RdsDbProxy[0];
            if (proxies.Count == 0) return CheckVerdict.NotApplicable($"No RDS Proxy targets cluster '{e.Cluster.ClusterIdentifier}'.");
            var plain = proxies.Where(p => p.RequireTLS == false).Select(p => p.DBProxyName).ToList();
            var unknown = proxies.Where(p => p.RequireTLS == null).Select(p => p.DBProxyName).ToList();
            if (plain.Count > 0) return CheckVerdict.Fail($"RDS Proxy {Join(plain)} does not require TLS (RequireTLS false).", $"Edit-RDSDBProxy -DBProxyName {plain[0]} -RequireTLS $true" + More(plain));
            if (unknown.Count > 0) return Unknown($"RDS did not report RequireTLS for proxy {Join(unknown)}.");
            return CheckVerdict.Pass($"Every proxy in front of the cluster requires TLS: {Join(proxies.Select(p => p.DBProxyName))}.");
        }

        private static bool TryInstances(ClusterEvidence e, out IReadOnlyList<RdsDbInstance> instances, out CheckVerdict? verdict)
        {
            instances = (e.Instances ?? new RdsDbInstance[0]).OrderBy(i => i.DBInstanceIdentifier, StringComparer.Ordinal).ToList();
            verdict = instances.Count == 0 ? CheckVerdict.NotApplicable($"Cluster '{e.Cluster.ClusterIdentifier}' has no DB instances.") : null;
            return verdict == null;
        }

        private static bool IsRegionWithoutEncryption(ClusterEvidence e) =>
            string.Equals(e.Cluster.Region, SecurityCheckCatalog.RegionWithoutEncryption, StringComparison.OrdinalIgnoreCase);

        private static string AuditRecommendation(ClusterEvidence e, string group) =>
            group.StartsWith("default.", StringComparison.Ordinal)
                ? $"Move {e.Cluster.ClusterIdentifier} to a custom cluster parameter group (a default group cannot be changed), then set server_audit_logging=1 and server_audit_events=CONNECT,QUERY_DCL,QUERY_DDL in it"
                : $"Edit-RDSDBClusterParameterGroup -DBClusterParameterGroupName {group} with server_audit_logging=1 and server_audit_events=CONNECT,QUERY_DCL,QUERY_DDL (both dynamic)";

        // Unknown evidence is never a Pass: say what is missing and ask for a re-run.
        private static CheckVerdict Unknown(string reason) =>
            CheckVerdict.Warning(reason + " The check cannot pass on unknown evidence.", "Run the audit again; if the value stays missing, check it in the RDS console");

        private static string More(IReadOnlyCollection<string> items) => items.Count > 1 ? $" (and the same for {string.Join(", ", items.Skip(1))})" : string.Empty;

        private static string Shown(string? value) => value == null ? "unset" : "'" + value + "'";

        private static string Join(IEnumerable<string> items) => string.Join(", ", items);
    }
}

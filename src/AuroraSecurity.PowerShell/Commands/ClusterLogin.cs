using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;
using AuroraSecurity.Sql;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>
    /// How a cmdlet that works on many clusters logs in to each one's writer endpoint, for Invoke-AuroraSecurityAudit and
    /// Repair-AuroraSecurityFinding alike: -SqlCredential (one PSCredential, a hashtable of cluster identifier to PSCredential,
    /// or a script block given the cluster as $_), -IamAuthentication -DbUser, or -UseManagedMasterSecret; with -SslCa and -SslMode.
    /// </summary>
    internal sealed class ClusterLogin
    {
        private readonly object? _sqlCredential;
        private readonly bool _iam;
        private readonly string? _dbUser;
        private readonly string? _sslCa;
        private readonly SqlSslMode _sslMode;

        public ClusterLogin(object? sqlCredential, bool iamAuthentication, string? dbUser, bool useManagedMasterSecret, string? sslCa, SqlSslMode sslMode)
        {
            _sqlCredential = PSValue.Unwrap(sqlCredential);
            _iam = iamAuthentication;
            _dbUser = dbUser;
            UsesManagedMasterSecret = useManagedMasterSecret;
            _sslCa = sslCa;
            _sslMode = sslMode;
        }

        /// <summary>Whether any way to log in was given.</summary>
        public bool Requested => _sqlCredential != null || _iam || UsesManagedMasterSecret;

        /// <summary>Whether each cluster's master login comes from its RDS-managed secret.</summary>
        public bool UsesManagedMasterSecret { get; }

        /// <summary>The combination the parameters make is one way to log in, each with what it needs; otherwise an ArgumentException that says what to pass.</summary>
        public void Validate()
        {
            if (_iam && _sqlCredential != null)
            {
                throw new ArgumentException("Pass either -SqlCredential or -IamAuthentication -DbUser, not both.");
            }

            if (UsesManagedMasterSecret && (_sqlCredential != null || _iam))
            {
                throw new ArgumentException($"Pass one way to log in: -UseManagedMasterSecret reads each cluster's master login from Secrets Manager, so leave out {(_sqlCredential != null ? "-SqlCredential" : "-IamAuthentication")}.");
            }

            if (_iam && string.IsNullOrEmpty(_dbUser))
            {
                throw new ArgumentException("-IamAuthentication needs -DbUser: the database user created with AWSAuthenticationPlugin.");
            }

            if (!_iam && _dbUser != null)
            {
                throw new ArgumentException(UsesManagedMasterSecret
                    ? "-DbUser is for -IamAuthentication; -UseManagedMasterSecret logs in as the user its secret names (the master user)."
                    : "-DbUser is for -IamAuthentication; with a password, pass -SqlCredential instead.");
            }

            if (_sqlCredential != null && !(_sqlCredential is PSCredential || _sqlCredential is ScriptBlock || _sqlCredential is IDictionary))
            {
                throw new ArgumentException($"-SqlCredential takes a PSCredential (Get-Credential), a hashtable of cluster identifier to PSCredential, or a script block that returns the PSCredential for the cluster in $_; not a {_sqlCredential.GetType().Name}.");
            }
        }

        /// <summary>The warning for a login over TLS that is not fully verified, saying what it is used for; null when there is nothing to say.</summary>
        public string? UnverifiedWarning(string use) =>
            !Requested || _sslMode >= SqlSslMode.VerifyFull
                ? null
                : $"{use} with -SslMode {_sslMode}, which does not verify {(_sslMode == SqlSslMode.VerifyCA ? "the host name" : "the server's certificate")}: a server in the middle could answer for the cluster.";

        /// <summary>
        /// The login for one cluster's writer endpoint. Runs -SqlCredential's script block, so it is called on the pipeline thread;
        /// a cluster the hashtable or script block gives no credential for is skipped with the reason.
        /// </summary>
        public SqlAccess For(AuroraCluster cluster, AwsContext context)
        {
            if (string.IsNullOrEmpty(cluster.Endpoint))
            {
                return SqlAccess.NoEndpoint(cluster);
            }

            var options = new SqlConnectionOptions
            {
                Endpoint = cluster.Endpoint!,
                Port = cluster.Port ?? 3306,
                SslMode = _sslMode,
                SslCa = _sslCa,
            };
            if (_iam)
            {
                return SqlAccess.With(IamDatabaseAuthentication.Apply(options, context.Credentials, context.Region, _dbUser!));
            }

            if (UsesManagedMasterSecret)
            {
                return SqlAccess.WithManagedMasterSecret(options);
            }

            PSCredential? credential;
            try
            {
                credential = CredentialFor(cluster, out var skip);
                if (credential == null) return SqlAccess.Skip(skip!);
            }
            catch (AuroraSecurityException e)
            {
                return SqlAccess.Failed(e);
            }

            options.User = credential.UserName;
            options.Password = credential.Password;
            return SqlAccess.With(options);
        }

        private PSCredential? CredentialFor(AuroraCluster cluster, out string? skip)
        {
            skip = null;
            var value = _sqlCredential;
            if (value is IDictionary table)
            {
                value = Lookup(table, cluster.ClusterIdentifier) ?? Lookup(table, "*");
                if (value == null)
                {
                    skip = $"needs -SqlCredential: the hashtable given has no entry for '{cluster.ClusterIdentifier}' (nor '*').";
                    return null;
                }
            }
            else if (value is ScriptBlock script)
            {
                try
                {
                    var results = script.InvokeWithContext(null, new List<PSVariable> { new PSVariable("_", cluster) }, cluster);
                    value = results.Select(PSValue.Unwrap).FirstOrDefault(r => r != null);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    throw new AuroraSecurityException("SqlCredentialScriptFailed", FailureKind.InvalidArgument,
                        $"The -SqlCredential script block failed for cluster '{cluster.ClusterIdentifier}': {(e is RuntimeException r ? r.ErrorRecord.ToString() : e.Message)}");
                }

                if (value == null)
                {
                    skip = $"needs -SqlCredential: the script block returned no credential for '{cluster.ClusterIdentifier}'.";
                    return null;
                }
            }

            value = PSValue.Unwrap(value);
            if (value is PSCredential credential) return credential;
            throw new AuroraSecurityException("SqlCredentialInvalid", FailureKind.InvalidArgument,
                $"-SqlCredential gave a {value!.GetType().Name} for cluster '{cluster.ClusterIdentifier}', not a PSCredential: return Get-Credential's result, or Get-Secret's when the secret is a PSCredential.");
        }

        private static object? Lookup(IDictionary table, string key)
        {
            foreach (DictionaryEntry entry in table)
            {
                if (string.Equals(Convert.ToString(PSValue.Unwrap(entry.Key), CultureInfo.InvariantCulture), key, StringComparison.OrdinalIgnoreCase)) return PSValue.Unwrap(entry.Value);
            }

            return null;
        }
    }
}

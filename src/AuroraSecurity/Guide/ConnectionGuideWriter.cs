using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AuroraSecurity.Guide
{
    /// <summary>
    /// Writes how each client connects securely to an Aurora MySQL cluster: TLS verified against the RDS CA bundle, the cluster endpoint
    /// for clients that check Subject Alternative Names and the writer instance's endpoint for those that do not. No I/O, no secrets.
    /// </summary>
    public static class ConnectionGuideWriter
    {
        public const string MySql = "mysql";
        public const string MariaDb = "mariadb";
        public const string MySqlConnector = "MySqlConnector";
        public const string ConnectorJ = "ConnectorJ";
        public const string MySqlConnectorPython = "mysql-connector-python";
        public const string PyMySql = "PyMySQL";
        public const string ConnectAuroraMySql = "Connect-AuroraMySql";
        public const string MySql56 = "mysql-5.6";

        private const string SanReason = "Aurora puts the DB instance endpoint in the certificate's Common Name, so the Aurora MySQL User Guide's security chapter says to use the cluster endpoint only with a client that supports Subject Alternative Names (SAN), and otherwise the writer instance's endpoint";

        private static readonly ClientSpec[] Catalogue =
        {
            new ClientSpec(MySql, "MySQL 8.0 client (mysql)", "CommandLine", true, WriteMySql),
            new ClientSpec(MariaDb, "MariaDB client (mariadb)", "CommandLine", true, WriteMariaDb),
            new ClientSpec(MySqlConnector, "MySqlConnector (.NET)", "ConnectionString", true, WriteMySqlConnector),
            new ClientSpec(ConnectorJ, "AWS Advanced JDBC Wrapper / MySQL Connector/J", "Url", true, WriteConnectorJ),
            new ClientSpec(MySqlConnectorPython, "Python mysql-connector-python", "Python", true, WriteMySqlConnectorPython),
            new ClientSpec(PyMySql, "Python PyMySQL", "Python", true, WritePyMySql),
            new ClientSpec(ConnectAuroraMySql, "AuroraSecurity Connect-AuroraMySql", "PowerShell", true, WriteConnectAuroraMySql),
            new ClientSpec(MySql56, "MySQL 5.6 client (mysql)", "CommandLine", false, WriteMySql56),
        };

        /// <summary>The clients the guide writes for, in the order it writes them.</summary>
        public static IReadOnlyList<string> Clients { get; } = Catalogue.Select(c => c.Name).ToArray();

        /// <summary>One guide per client (all, or those <paramref name="options"/> names), in catalogue order.</summary>
        public static IReadOnlyList<ClientConnectionGuide> Write(ConnectionFacts facts, ConnectionGuideOptions options)
        {
            if (facts == null) throw new ArgumentNullException(nameof(facts));
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (string.IsNullOrWhiteSpace(facts.Endpoint))
            {
                throw new AuroraSecurityException("GuideEndpointMissing", FailureKind.InvalidArgument,
                    $"Cluster '{facts.ClusterIdentifier}' has no endpoint yet (is it still being created?). Run the guide again when RDS reports one.");
            }

            var specs = Select(options.Clients);
            var bundle = CaBundle.For(facts.Region);
            var context = new GuideContext(facts, options, bundle);
            return specs.Select(spec => Build(spec, context)).ToList();
        }

        private static IReadOnlyList<ClientSpec> Select(IReadOnlyList<string>? names)
        {
            if (names == null || names.Count == 0) return Catalogue;
            var chosen = new List<ClientSpec>();
            foreach (var name in names)
            {
                var spec = Catalogue.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
                if (spec == null)
                {
                    throw new AuroraSecurityException("GuideClientUnknown", FailureKind.InvalidArgument,
                        $"'{name}' is not a client the guide knows. Use one of: {string.Join(", ", Clients)}.");
                }

                if (!chosen.Contains(spec)) chosen.Add(spec);
            }

            return Catalogue.Where(chosen.Contains).ToList();
        }

        private static ClientConnectionGuide Build(ClientSpec spec, GuideContext context)
        {
            var facts = context.Facts;
            var notes = new List<string>();
            string host;
            string kind;
            if (spec.ChecksSan)
            {
                host = facts.Endpoint;
                kind = facts.ClusterIdentifier == null ? "Given" : "Cluster";
                if (facts.ClusterIdentifier != null)
                {
                    notes.Add("Connects to the cluster endpoint: this client checks the certificate's Subject Alternative Names, where Aurora lists the cluster endpoints.");
                }
            }
            else if (facts.WriterEndpoint != null)
            {
                host = facts.WriterEndpoint;
                kind = "WriterInstance";
                notes.Add($"Connects to the writer instance{(facts.WriterInstance == null ? string.Empty : " " + facts.WriterInstance)}: this client checks only the certificate's Common Name. {SanReason}. After a failover the writer changes: run the guide again, or move to a client that checks SANs.");
            }
            else
            {
                host = facts.Endpoint;
                kind = "Given";
                notes.Add($"This client checks only the certificate's Common Name. {SanReason}. The writer instance is unknown here: give -WriterEndpoint, or -ClusterIdentifier so the guide reads it from RDS; a cluster endpoint fails verification with this client.");
            }

            var target = new Target(host, facts.Port, context.User, context.SslCa, context.Options.Database, facts.Region, context.Options.IamAuthentication);
            var written = spec.Write(target, notes);
            AddPostureNotes(notes, context);

            return new ClientConnectionGuide
            {
                ClusterIdentifier = facts.ClusterIdentifier,
                Client = spec.Name,
                ClientName = spec.DisplayName,
                Kind = spec.Kind,
                Endpoint = host,
                Port = facts.Port,
                EndpointKind = kind,
                ChecksSubjectAlternativeNames = spec.ChecksSan,
                Connection = written.Connection,
                TokenStep = written.TokenStep,
                IamAuthentication = context.Options.IamAuthentication,
                SslCa = context.SslCa,
                CaBundleUrl = context.Bundle.Url,
                InstanceCas = facts.InstanceCas ?? new string[0],
                RequireSecureTransport = facts.RequireSecureTransport,
                ServerTlsVersions = facts.TlsProtocols ?? new string[0],
                ServerCiphers = facts.SslCipher ?? new string[0],
                Notes = notes,
            };
        }

        private static void AddPostureNotes(List<string> notes, GuideContext context)
        {
            var facts = context.Facts;
            var bundle = context.Bundle;
            notes.Add($"CA bundle: download {bundle.Url} and keep it at {context.SslCa}. {bundle.Note}");
            if (facts.InstanceCas != null && facts.InstanceCas.Count > 0)
            {
                var check = facts.CaCheckStatus == null ? string.Empty : $" CA check: {facts.CaCheckStatus} ({facts.CaCheckReason})";
                notes.Add($"The instances use {string.Join(", ", facts.InstanceCas)} now.{check}");
            }

            if (facts.RequireSecureTransport == true)
            {
                notes.Add("The cluster refuses plaintext (require_secure_transport ON): a client without TLS gets error 3159.");
            }
            else if (facts.RequireSecureTransport == false)
            {
                notes.Add("The cluster also accepts plaintext (require_secure_transport OFF): only these client settings keep the connection encrypted and verified. Enable-AuroraSecureTransport makes the cluster refuse plaintext.");
            }

            if (facts.TlsProtocols != null && facts.TlsProtocols.Count > 0)
            {
                notes.Add($"The cluster accepts {string.Join(", ", facts.TlsProtocols)}; the client must allow one of them (Aurora MySQL does not support TLS 1.3).");
            }

            if (facts.SslCipher != null)
            {
                notes.Add(facts.SslCipher.Count == 0
                    ? "ssl_cipher is the engine default: the client may offer any cipher the engine version supports."
                    : $"The cluster accepts only these ciphers (ssl_cipher): {string.Join(", ", facts.SslCipher)}; the client must offer one of them.");
            }

            if (facts.PendingRebootMembers.Count > 0)
            {
                notes.Add($"{string.Join(", ", facts.PendingRebootMembers)} still run older ssl_cipher/tls_version values until rebooted.");
            }

            if (facts.RequireSecureTransport == null && facts.ClusterIdentifier == null)
            {
                notes.Add("The cluster's TLS posture is unknown for an endpoint given by hand: run with -ClusterIdentifier to read require_secure_transport, tls_version, ssl_cipher and the instances' CA.");
            }

            if (context.Options.IamAuthentication)
            {
                if (facts.IamDatabaseAuthenticationEnabled == false)
                {
                    notes.Add("IAM database authentication is OFF on this cluster: tokens are refused until Enable-AuroraIamAuthentication turns it on.");
                }

                notes.Add("IAM: the token is valid for 15 minutes to open a connection and is sent in clear text inside TLS, so TLS verification is mandatory. The user needs IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' and the caller rds-db:connect.");
            }

            notes.AddRange(facts.Gaps);
        }

        // --- one writer per client ---

        private static Written WriteMySql(Target t, List<string> notes)
        {
            var words = new List<string> { "mysql", "--host=" + t.Host, "--port=" + t.PortText, "--user=" + t.User };
            words.Add(t.Iam ? "--password=\"$TOKEN\"" : "-p");
            if (t.Iam) words.Add("--enable-cleartext-plugin");
            words.Add("--ssl-mode=VERIFY_IDENTITY");
            words.Add("--ssl-ca=" + t.SslCa);
            if (t.Database != null) words.Add("--database=" + t.Database);
            notes.Add(t.Iam
                ? "--enable-cleartext-plugin lets the client send the token with mysql_clear_password; VERIFY_IDENTITY (MySQL 5.7.11 and later) checks the chain and the host name."
                : "-p prompts for the password; VERIFY_IDENTITY (MySQL 5.7.11 and later) checks the chain and the host name.");
            return new Written(Posix(words, t.Iam), t.Iam ? AwsCliToken(t) : null);
        }

        private static Written WriteMySql56(Target t, List<string> notes)
        {
            var words = new List<string> { "mysql", "--host=" + t.Host, "--port=" + t.PortText, "--user=" + t.User };
            words.Add(t.Iam ? "--password=\"$TOKEN\"" : "-p");
            if (t.Iam) words.Add("--enable-cleartext-plugin");
            words.Add("--ssl-ca=" + t.SslCa);
            words.Add("--ssl-verify-server-cert");
            if (t.Database != null) words.Add("--database=" + t.Database);
            notes.Add("The MySQL 5.6 form from the Aurora MySQL User Guide: --ssl-verify-server-cert checks the chain and the Common Name only.");
            return new Written(Posix(words, t.Iam), t.Iam ? AwsCliToken(t) : null);
        }

        private static Written WriteMariaDb(Target t, List<string> notes)
        {
            var words = new List<string> { "mariadb", "--host=" + t.Host, "--port=" + t.PortText, "--user=" + t.User };
            words.Add(t.Iam ? "--password=\"$TOKEN\"" : "-p");
            words.Add("--ssl");
            words.Add("--ssl-verify-server-cert");
            words.Add("--ssl-ca=" + t.SslCa);
            if (t.Database != null) words.Add("--database=" + t.Database);
            notes.Add(t.Iam
                ? "The MariaDB client sends the token with mysql_clear_password when the server asks; it needs no switch (--enable-cleartext-plugin is accepted and ignored)."
                : "-p prompts for the password; --ssl-verify-server-cert checks the chain and the host name (Subject Alternative Names included).");
            return new Written(Posix(words, t.Iam), t.Iam ? AwsCliToken(t) : null);
        }

        private static Written WriteMySqlConnector(Target t, List<string> notes)
        {
            var parts = new List<string>
            {
                "Server=" + ShellQuote.ConnectionStringValue(t.Host),
                "Port=" + t.PortText,
                "User ID=" + ShellQuote.ConnectionStringValue(t.User),
                "SslMode=VerifyFull",
                "SslCa=" + ShellQuote.ConnectionStringValue(t.SslCa),
            };
            if (t.Database != null) parts.Add("Database=" + ShellQuote.ConnectionStringValue(t.Database));
            notes.Add(t.Iam
                ? "Set the token as the password in MySqlConnection.ProvidePasswordCallback (called for each new physical connection, so pooled connections get fresh tokens); MySqlConnector sends it with mysql_clear_password, over TLS only, with no switch."
                : "The string carries no password: set it at run time from a secret store (MySqlConnectionStringBuilder.Password), never in a configuration file. VerifyFull checks the chain and the host name.");
            return new Written(string.Join(";", parts), t.Iam ? AwsCliToken(t) : null);
        }

        private static Written WriteConnectorJ(Target t, List<string> notes)
        {
            var query = new List<string> { "sslMode=VERIFY_IDENTITY", "trustCertificateKeyStoreUrl=file:" + TrustStorePath(t.SslCa), "trustCertificateKeyStoreType=PKCS12" };
            if (t.Iam)
            {
                query.Add("wrapperPlugins=iam");
                if (t.Region != null) query.Add("iamRegion=" + t.Region);
            }

            var url = $"jdbc:aws-wrapper:mysql://{t.Host}:{t.PortText}/{t.Database ?? string.Empty}?{string.Join("&", query)}";
            notes.Add("The AWS Advanced JDBC Wrapper is the client the Aurora MySQL User Guide recommends for SAN support; with plain Connector/J 8 use jdbc:mysql:// and the same properties (Connector/J 5.1's verifyServerCertificate never checks the host name).");
            notes.Add($"Java trusts a key store, not a PEM file: import every certificate of the bundle (keytool reads only the first one of a PEM file), for example split it and run keytool -importcert -noprompt -alias <name> -file <certificate> -storetype PKCS12 -keystore {TrustStorePath(t.SslCa)} for each. Pass trustCertificateKeyStorePassword and the user's password as connection properties from a secret store, not in the URL.");
            if (t.Iam) notes.Add("wrapperPlugins=iam signs a fresh token for each connection from the default AWS credentials; give the user as the 'user' property.");
            return new Written(url, null);
        }

        private static Written WriteMySqlConnectorPython(Target t, List<string> notes)
        {
            var args = PythonArgs(t, t.Iam ? "token" : "getpass.getpass()");
            args.Add("ssl_ca=" + ShellQuote.Python(t.SslCa));
            args.Add("ssl_verify_cert=True");
            args.Add("ssl_verify_identity=True");
            if (t.Iam) args.Add("auth_plugin='mysql_clear_password'");
            var code = (t.Iam ? "import mysql.connector" : "import getpass\nimport mysql.connector") +
                       "\nconnection = mysql.connector.connect(" + string.Join(", ", args) + ")";
            notes.Add(t.Iam
                ? "auth_plugin='mysql_clear_password' sends the token as the server asks; ssl_verify_identity checks the host name."
                : "getpass prompts for the password; ssl_verify_identity checks the host name, ssl_verify_cert the chain.");
            return new Written(code, t.Iam ? PythonToken(t) : null);
        }

        private static Written WritePyMySql(Target t, List<string> notes)
        {
            var args = PythonArgs(t, t.Iam ? "token" : "getpass.getpass()");
            args.Add("ssl_ca=" + ShellQuote.Python(t.SslCa));
            args.Add("ssl_verify_cert=True");
            args.Add("ssl_verify_identity=True");
            var code = (t.Iam ? "import pymysql" : "import getpass\nimport pymysql") +
                       "\nconnection = pymysql.connect(" + string.Join(", ", args) + ")";
            notes.Add(t.Iam
                ? "PyMySQL answers the server's mysql_clear_password request with the token by itself (no switch); ssl_verify_identity checks the host name."
                : "getpass prompts for the password; ssl_verify_identity checks the host name, ssl_verify_cert the chain.");
            return new Written(code, t.Iam ? PythonToken(t) : null);
        }

        private static Written WriteConnectAuroraMySql(Target t, List<string> notes)
        {
            var words = new List<string> { "$session = Connect-AuroraMySql", "-Endpoint " + ShellQuote.PowerShell(t.Host), "-Port " + t.PortText };
            if (t.Iam)
            {
                words.Add("-IamAuthentication");
                words.Add("-DbUser " + ShellQuote.PowerShell(t.User));
                if (t.Region != null) words.Add("-Region " + t.Region);
            }
            else
            {
                words.Add("-SqlCredential (Get-Credential " + ShellQuote.PowerShell(t.User) + ")");
            }

            words.Add("-SslCa " + ShellQuote.PowerShell(t.SslCa));
            if (t.Database != null) words.Add("-Database " + ShellQuote.PowerShell(t.Database));
            notes.Add(t.Iam
                ? "Connect-AuroraMySql signs a fresh token for each connection from the AWS credentials and sends it over verified TLS (SslMode VerifyFull, the default)."
                : "Get-Credential prompts for the password; SslMode VerifyFull (the default) checks the chain and the host name.");
            return new Written(string.Join(" ", words), null);
        }

        // --- helpers ---

        private static List<string> PythonArgs(Target t, string password)
        {
            var args = new List<string> { "host=" + ShellQuote.Python(t.Host), "port=" + t.PortText, "user=" + ShellQuote.Python(t.User), "password=" + password };
            if (t.Database != null) args.Add("database=" + ShellQuote.Python(t.Database));
            return args;
        }

        private static string AwsCliToken(Target t) =>
            "TOKEN=\"$(aws rds generate-db-auth-token --hostname " + ShellQuote.Posix(t.Host) + " --port " + t.PortText +
            " --region " + (t.Region ?? "<region>") + " --username " + ShellQuote.Posix(t.User) + ")\"";

        private static string PythonToken(Target t) =>
            "import boto3\ntoken = boto3.client('rds', region_name=" + ShellQuote.Python(t.Region ?? "<region>") + ").generate_db_auth_token(DBHostname=" +
            ShellQuote.Python(t.Host) + ", Port=" + t.PortText + ", DBUsername=" + ShellQuote.Python(t.User) + ")";

        private static string TrustStorePath(string sslCa)
        {
            var dot = sslCa.LastIndexOf('.');
            var slash = Math.Max(sslCa.LastIndexOf('/'), sslCa.LastIndexOf('\\'));
            var stem = dot > slash ? sslCa.Substring(0, dot) : sslCa;
            return stem + ".p12";
        }

        // Words are quoted for a POSIX shell; the token reference stays a double-quoted expansion.
        private static string Posix(IEnumerable<string> words, bool iam) =>
            string.Join(" ", words.Select(w => w.EndsWith("\"$TOKEN\"", StringComparison.Ordinal) ? w : ShellQuote.Posix(w)));

        private sealed class ClientSpec
        {
            public ClientSpec(string name, string displayName, string kind, bool checksSan, Func<Target, List<string>, Written> write)
            {
                Name = name;
                DisplayName = displayName;
                Kind = kind;
                ChecksSan = checksSan;
                Write = write;
            }

            public string Name { get; }
            public string DisplayName { get; }
            public string Kind { get; }
            public bool ChecksSan { get; }
            public Func<Target, List<string>, Written> Write { get; }
        }

        private sealed class GuideContext
        {
            public GuideContext(ConnectionFacts facts, ConnectionGuideOptions options, CaBundle bundle)
            {
                Facts = facts;
                Options = options;
                Bundle = bundle;
                User = string.IsNullOrWhiteSpace(options.DbUser) ? ConnectionGuideOptions.UserPlaceholder : options.DbUser!;
                SslCa = string.IsNullOrWhiteSpace(options.SslCa) ? bundle.FileName : options.SslCa!;
            }

            public ConnectionFacts Facts { get; }
            public ConnectionGuideOptions Options { get; }
            public CaBundle Bundle { get; }
            public string User { get; }
            public string SslCa { get; }
        }

        private sealed class Target
        {
            public Target(string host, int port, string user, string sslCa, string? database, string? region, bool iam)
            {
                Host = host;
                PortText = port.ToString(CultureInfo.InvariantCulture);
                User = user;
                SslCa = sslCa;
                Database = database;
                Region = region;
                Iam = iam;
            }

            public string Host { get; }
            public string PortText { get; }
            public string User { get; }
            public string SslCa { get; }
            public string? Database { get; }
            public string? Region { get; }
            public bool Iam { get; }
        }

        private sealed class Written
        {
            public Written(string connection, string? tokenStep)
            {
                Connection = connection;
                TokenStep = tokenStep;
            }

            public string Connection { get; }
            public string? TokenStep { get; }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;

namespace AuroraSecurity.Secrets
{
    /// <summary>A cluster's master login read from its RDS-managed secret: the user name, and the password only as a SecureString (disposed with this object).</summary>
    public sealed class ManagedMasterCredential : IDisposable
    {
        internal ManagedMasterCredential(string clusterIdentifier, string secretArn, string? versionId, string userName, SecureString password)
        {
            ClusterIdentifier = clusterIdentifier;
            SecretArn = secretArn;
            VersionId = versionId;
            UserName = userName;
            Password = password;
        }

        public string ClusterIdentifier { get; }

        public string SecretArn { get; }

        /// <summary>The secret version read (not secret itself).</summary>
        public string? VersionId { get; }

        public string UserName { get; }

        /// <summary>Read-only; cleared when this object is disposed.</summary>
        public SecureString Password { get; }

        public void Dispose() => Password.Dispose();

        public override string ToString() => "ManagedMasterCredential(" + ClusterIdentifier + ", " + UserName + ", Password=****)";

        /// <summary>
        /// The login in <paramref name="secret"/>'s SecretString ({"username": …, "password": …}); <paramref name="subject"/> names the secret in errors,
        /// which say what is missing and never any value. Every buffer that held the password is cleared.
        /// </summary>
        internal static ManagedMasterCredential From(SecretValue secret, string clusterIdentifier, string subject, string secretArn)
        {
            var text = secret.SecretStringCharacters;
            if (text == null)
            {
                throw SecretsManagerErrorTranslator.NotCredentials(subject, secretArn, secret.HasSecretBinary ? "it is a binary secret (SecretBinary), not text" : "the answer carried no SecretString");
            }

            Dictionary<string, SecretJsonMember> members;
            try
            {
                members = SecretJson.ReadObject(text, text.Length);
            }
            catch (FormatException e)
            {
                throw SecretsManagerErrorTranslator.NotCredentials(subject, secretArn, "its SecretString is " + e.Message);
            }

            try
            {
                var missing = new List<string>();
                members.TryGetValue("username", out var user);
                members.TryGetValue("password", out var password);
                if (user == null || user.Kind != "string" || user.Characters!.Length == 0) missing.Add("\"username\"");
                if (password == null || password.Kind != "string" || password.Characters!.Length == 0) missing.Add("\"password\"");
                if (missing.Count > 0)
                {
                    var names = members.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => EchoedInput.Shorten(k, 40)).ToList();
                    throw SecretsManagerErrorTranslator.NotCredentials(subject, secretArn,
                        "no non-empty " + string.Join(" or ", missing) + " string in its JSON (its members: " + (names.Count == 0 ? "none" : string.Join(", ", names)) + ")");
                }

                var secure = new SecureString();
                foreach (var c in password!.Characters!) secure.AppendChar(c);
                secure.MakeReadOnly();
                return new ManagedMasterCredential(clusterIdentifier, secretArn, secret.VersionId, user!.Text!, secure);
            }
            finally
            {
                foreach (var member in members.Values) member.Clear();
            }
        }
    }
}

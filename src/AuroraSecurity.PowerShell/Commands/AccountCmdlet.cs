using System;
using System.Collections.Generic;
using System.Management.Automation;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>The base of the account cmdlets: one account service per session, and per-account error handling.</summary>
    public abstract class AccountCmdlet : SqlCmdlet
    {
        private AccountService? service;
        private AuroraSqlSession? serviceSession;
        private AuroraSqlSession? companion;

        /// <summary>The account service for the session this cmdlet runs on.</summary>
        protected AccountService GetAccountService()
        {
            var session = GetSession();
            if (session.IsStreaming)
            {
                // The upstream cmdlet is still reading accounts over this session; its connection cannot take another statement.
                if (companion == null)
                {
                    WriteVerbose($"The session {session} is streaming accounts to this pipeline; changes go over a second connection with the same settings.");
                    companion = AccountService.OpenCompanion(session, CancellationToken);
                }

                session = companion;
            }

            if (service == null || !ReferenceEquals(serviceSession, session))
            {
                service = new AccountService(session);
                serviceSession = session;
            }

            return service;
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            CloseCompanion();
            base.EndProcessing();
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            base.StopProcessing();
            CloseCompanion();
        }

        private void CloseCompanion()
        {
            companion?.Dispose();
            companion = null;
        }

        /// <summary>'user'@'host' for messages and ShouldProcess targets; control characters are made visible.</summary>
        protected static string Describe(string user, string host) => "'" + Visible(user) + "'@'" + Visible(host) + "'";

        /// <summary>Runs work for one account; a failure becomes a non-terminating error tied to that account.</summary>
        protected void ForAccount(string user, string host, Action work)
        {
            try
            {
                work();
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, Describe(user, host));
            }
        }

        /// <summary>Wildcard patterns as PowerShell users expect them (case-insensitive, * ? [ ]), or null for "everything".</summary>
        protected static List<WildcardPattern>? Patterns(string[]? patterns)
        {
            if (patterns == null || patterns.Length == 0)
            {
                return null;
            }

            var result = new List<WildcardPattern>();
            foreach (var pattern in patterns)
            {
                result.Add(WildcardPattern.Get(pattern ?? string.Empty, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant));
            }

            return result;
        }

        /// <summary>True when no patterns were given or one of them matches.</summary>
        protected static bool Matches(List<WildcardPattern>? patterns, string value)
        {
            if (patterns == null)
            {
                return true;
            }

            foreach (var pattern in patterns)
            {
                if (pattern.IsMatch(value))
                {
                    return true;
                }
            }

            return false;
        }

        private static string Visible(string value)
        {
            var builder = new System.Text.StringBuilder(value.Length);
            foreach (var c in value)
            {
                if (char.IsControl(c))
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }
    }
}

using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>
    /// Which sessions to select: user and host by PowerShell wildcards (whole value, case-insensitive) or, in pt-kill's
    /// terms, by case-sensitive, unanchored regular expressions that must match (UserPattern, Database…) or must not
    /// (ExcludeUserPattern…), busy and idle times, and which kinds of thread to leave out.
    /// </summary>
    public sealed class SessionFilter
    {
        private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

        /// <summary>Selects sessions whose USER is one of these wildcard patterns (* ? [a-z], whole name, case-insensitive).</summary>
        public IReadOnlyList<string>? UserLike { get; set; }

        /// <summary>Selects sessions whose HOST (with the port) is one of these wildcard patterns.</summary>
        public IReadOnlyList<string>? HostLike { get; set; }

        /// <summary>Leaves out sessions whose USER is one of these wildcard patterns.</summary>
        public IReadOnlyList<string>? ExcludeUserLike { get; set; }

        /// <summary>Leaves out sessions whose HOST is one of these wildcard patterns.</summary>
        public IReadOnlyList<string>? ExcludeHostLike { get; set; }

        /// <summary>Selects sessions whose USER matches this regular expression (pt-kill's --match-user).</summary>
        public string? UserPattern { get; set; }

        /// <summary>Selects sessions whose HOST (with the port) matches this regular expression.</summary>
        public string? HostPattern { get; set; }

        /// <summary>Selects sessions whose DB matches; sessions without a database never match.</summary>
        public string? Database { get; set; }

        /// <summary>Selects sessions whose COMMAND matches.</summary>
        public string? Command { get; set; }

        /// <summary>Selects sessions whose STATE matches; sessions without a state never match.</summary>
        public string? State { get; set; }

        /// <summary>Selects sessions whose INFO (statement text) matches; sessions without a statement never match.</summary>
        public string? Info { get; set; }

        /// <summary>Leaves out sessions whose USER matches this regular expression.</summary>
        public string? ExcludeUserPattern { get; set; }

        /// <summary>Leaves out sessions whose HOST matches this regular expression.</summary>
        public string? ExcludeHostPattern { get; set; }

        /// <summary>Leaves out sessions whose DB matches.</summary>
        public string? ExcludeDatabase { get; set; }

        /// <summary>Leaves out sessions whose COMMAND matches.</summary>
        public string? ExcludeCommand { get; set; }

        /// <summary>Leaves out sessions whose STATE matches.</summary>
        public string? ExcludeState { get; set; }

        /// <summary>Leaves out sessions whose INFO matches.</summary>
        public string? ExcludeInfo { get; set; }

        /// <summary>Selects sessions busy in one of <see cref="BusyCommands"/> for at least this many seconds.</summary>
        public long? MinimumSeconds { get; set; }

        /// <summary>The commands that count as busy for <see cref="MinimumSeconds"/> (pt-kill's --kill-busy-commands).</summary>
        public IReadOnlyList<string> BusyCommands { get; set; } = new[] { "Query" };

        /// <summary>Selects Sleep sessions idle for at least this many seconds; with MinimumSeconds, either one selects.</summary>
        public long? IdleSeconds { get; set; }

        /// <summary>Keeps sessions of reserved accounts such as rdsadmin.</summary>
        public bool IncludeReserved { get; set; }

        /// <summary>Keeps the server's own threads (system user, event_scheduler, Daemon, no user).</summary>
        public bool IncludeSystemThreads { get; set; }

        /// <summary>Keeps replication threads (Binlog Dump, Slave_IO, Slave_SQL…).</summary>
        public bool IncludeReplication { get; set; }

        /// <summary>Compiles the filter; a pattern that is not a valid regular expression is an InvalidArgument failure.</summary>
        public Func<SessionInfo, bool> Compile()
        {
            var user = Pattern(UserPattern, "UserPattern");
            var host = Pattern(HostPattern, "HostPattern");
            var userLike = Wildcards(UserLike, "User");
            var hostLike = Wildcards(HostLike, "HostName");
            var excludeUserLike = Wildcards(ExcludeUserLike, "ExcludeUser");
            var excludeHostLike = Wildcards(ExcludeHostLike, "ExcludeHost");
            var database = Pattern(Database, "Database");
            var command = Pattern(Command, "Command");
            var state = Pattern(State, "State");
            var info = Pattern(Info, "Info");
            var excludeUser = Pattern(ExcludeUserPattern, "ExcludeUserPattern");
            var excludeHost = Pattern(ExcludeHostPattern, "ExcludeHostPattern");
            var excludeDatabase = Pattern(ExcludeDatabase, "ExcludeDatabase");
            var excludeCommand = Pattern(ExcludeCommand, "ExcludeCommand");
            var excludeState = Pattern(ExcludeState, "ExcludeState");
            var excludeInfo = Pattern(ExcludeInfo, "ExcludeInfo");
            if (MinimumSeconds < 0 || IdleSeconds < 0)
            {
                throw new AuroraSecurityException("SessionTimeInvalid", FailureKind.InvalidArgument, "MinimumSeconds and IdleSeconds cannot be negative.");
            }

            var busyCommands = new HashSet<string>(BusyCommands ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
            var minimum = MinimumSeconds;
            var idle = IdleSeconds;
            var includeReserved = IncludeReserved;
            var includeSystem = IncludeSystemThreads;
            var includeReplication = IncludeReplication;

            return session =>
            {
                if (!includeSystem && SessionClassification.IsSystemThread(session)) return false;
                if (!includeReplication && SessionClassification.IsReplication(session)) return false;
                if (!includeReserved && session.User != null && ReservedAccounts.IsReserved(session.User)) return false;

                if (!Selects(userLike, session.User) || !Selects(hostLike, session.Host) || Excludes(excludeUserLike, session.User) || Excludes(excludeHostLike, session.Host))
                {
                    return false;
                }

                if (!Selects(user, session.User) || !Selects(host, session.Host) || !Selects(database, session.Database)
                    || !Selects(command, session.Command) || !Selects(state, session.State) || !Selects(info, session.Info))
                {
                    return false;
                }

                if (Excludes(excludeUser, session.User) || Excludes(excludeHost, session.Host) || Excludes(excludeDatabase, session.Database)
                    || Excludes(excludeCommand, session.Command) || Excludes(excludeState, session.State) || Excludes(excludeInfo, session.Info))
                {
                    return false;
                }

                if (minimum.HasValue || idle.HasValue)
                {
                    var busy = minimum.HasValue && session.Command != null && busyCommands.Contains(session.Command) && session.TimeSeconds >= minimum.Value;
                    var sleeping = idle.HasValue && string.Equals(session.Command, "Sleep", StringComparison.OrdinalIgnoreCase) && session.TimeSeconds >= idle.Value;
                    if (!busy && !sleeping) return false;
                }

                return true;
            };
        }

        // Like pt-kill's --match-*: a missing value (NULL DB, STATE, INFO) never matches.
        private static bool Selects(Regex? pattern, string? value) => pattern == null || (value != null && pattern.IsMatch(value));

        private static bool Excludes(Regex? pattern, string? value) => pattern != null && value != null && pattern.IsMatch(value);

        // PowerShell's wildcards, as Get-AuroraDbUser takes them: * and ? and [a-z], ` escapes the next character; the whole
        // value must match, case-insensitively. Several patterns: any one of them.
        private static Regex? Wildcards(IReadOnlyList<string>? patterns, string parameter)
        {
            if (patterns == null || patterns.Count == 0)
            {
                return null;
            }

            var alternatives = new List<string>();
            foreach (var pattern in patterns)
            {
                alternatives.Add(WildcardToRegex(pattern ?? string.Empty, parameter));
            }

            return new Regex("^(?:" + string.Join("|", alternatives) + ")$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, MatchTimeout);
        }

        internal static string WildcardToRegex(string pattern, string parameter)
        {
            var result = new StringBuilder();
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                switch (c)
                {
                    case '`':
                        if (i + 1 < pattern.Length)
                        {
                            result.Append(Regex.Escape(pattern[++i].ToString()));
                        }
                        else
                        {
                            result.Append(Regex.Escape("`"));
                        }

                        break;
                    case '*':
                        result.Append(".*");
                        break;
                    case '?':
                        result.Append('.');
                        break;
                    case '[':
                        var end = pattern.IndexOf(']', i + 1);
                        if (end <= i + 1)
                        {
                            throw PatternInvalid($"-{parameter} '{pattern}' is not a valid wildcard pattern: '[' at position {i + 1} has no closing ']'. Escape a literal bracket with a backtick (`[).", null);
                        }

                        result.Append('[');
                        foreach (var member in pattern.Substring(i + 1, end - i - 1))
                        {
                            result.Append(member == '-' ? "-" : Regex.Escape(member.ToString()));
                        }

                        result.Append(']');
                        i = end;
                        break;
                    default:
                        result.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            return result.ToString();
        }

        private static Regex? Pattern(string? pattern, string parameter)
        {
            if (pattern == null)
            {
                return null;
            }

            try
            {
                return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (ArgumentException error)
            {
                throw PatternInvalid($"-{parameter} '{pattern}' is not a valid regular expression: {error.Message}", error);
            }
        }

        // The one failure for a -User/-HostName wildcard or a pt-kill style regular expression that cannot be used.
        private static AuroraSecurityException PatternInvalid(string message, Exception? inner) =>
            new AuroraSecurityException("SessionPatternInvalid", FailureKind.InvalidArgument, message, inner);
    }
}

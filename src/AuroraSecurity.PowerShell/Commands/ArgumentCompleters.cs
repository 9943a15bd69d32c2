using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using AuroraSecurity.Audit;
using AuroraSecurity.Completion;
using AuroraSecurity.Rds;
using AuroraSecurity.Tls;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Shared matching for the module's completers: prefix or wildcard, case-insensitive, quoted when needed.</summary>
    internal static class Completions
    {
        public static IEnumerable<CompletionResult> Matching(string? wordToComplete, IEnumerable<string> candidates, Func<string, string>? tooltip = null)
        {
            var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = WildcardPattern.ContainsWildcardCharacters(word) ? word : word + "*";
            var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            foreach (var candidate in candidates.Where(c => wildcard.IsMatch(c)))
            {
                var text = candidate.IndexOfAny(new[] { ' ', '$', '\'', '"', '`', ';', '(', ')', '{', '}', ',', '&', '@', '#' }) >= 0
                    ? "'" + candidate.Replace("'", "''") + "'"
                    : candidate;
                yield return new CompletionResult(text, candidate, CompletionResultType.ParameterValue, tooltip?.Invoke(candidate) ?? candidate);
            }
        }

        public static string? Bound(IDictionary fakeBoundParameters, string name)
        {
            if (fakeBoundParameters == null || !fakeBoundParameters.Contains(name)) return null;
            var value = fakeBoundParameters[name];
            if (value is PSObject pso) value = pso.BaseObject;
            if (value is IEnumerable several && !(value is string))
            {
                // -Region a,b: complete from the first.
                value = several.Cast<object?>().FirstOrDefault();
                if (value is PSObject first) value = first.BaseObject;
            }

            return value as string ?? (value == null ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Completes -CheckId with the audit catalogue's ids (title as tooltip).</summary>
    public sealed class CheckIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(wordToComplete, SecurityCheckCatalog.All.Select(c => c.Id),
                id => id + ": " + SecurityCheckCatalog.Find(id)?.Title);
    }

    /// <summary>Completes cipher parameters with the ciphers Aurora MySQL accepts in ssl_cipher (protocol and IANA name as tooltip).</summary>
    public sealed class CipherCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(wordToComplete, CipherCatalog.All.Select(c => c.Name),
                name => { var c = CipherCatalog.Find(name)!; return $"{c.Name} ({c.Protocol}; {c.IanaName})"; });
    }

    /// <summary>Completes -EngineVersion with Aurora MySQL versions.</summary>
    public sealed class EngineVersionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(wordToComplete, CompletionSources.EngineVersions);
    }

    /// <summary>Completes -Family with the DB parameter group families of Aurora MySQL.</summary>
    public sealed class FamilyCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(wordToComplete, CompletionSources.Families);
    }

    /// <summary>Completes -Region with every region the AWS SDK knows.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(wordToComplete, CompletionSources.Regions());
    }

    /// <summary>Completes -ProfileName from the profile files (-ProfileLocation's when given).</summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(wordToComplete, CompletionSources.ProfileNames(Completions.Bound(fakeBoundParameters, "ProfileLocation")));
    }

    /// <summary>
    /// Completes -ClusterIdentifier from RDS with the command line's own AWS parameters (and the stored region and credentials),
    /// cached for a minute; never prompts, and completes nothing when RDS cannot be read within a few seconds.
    /// </summary>
    public sealed class ClusterIdentifierCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var request = new AwsContextRequest
            {
                Region = Completions.Bound(fakeBoundParameters, "Region"),
                ProfileName = Completions.Bound(fakeBoundParameters, "ProfileName"),
                ProfileLocation = Completions.Bound(fakeBoundParameters, "ProfileLocation"),
                AccessKey = Completions.Bound(fakeBoundParameters, "AccessKey"),
                SecretKey = Completions.Bound(fakeBoundParameters, "SecretKey"),
                SessionToken = Completions.Bound(fakeBoundParameters, "SessionToken"),
                EndpointUrl = Completions.Bound(fakeBoundParameters, "EndpointUrl"),
                Credential = PSValue.Unwrap(fakeBoundParameters != null && fakeBoundParameters.Contains("Credential") ? fakeBoundParameters["Credential"] : null),
                StoredCredentials = Stored("StoredAWSCredentials"),
                StoredRegion = Stored("StoredAWSRegion"),
            };
            return Completions.Matching(wordToComplete, ClusterNameCache.Get(request));
        }

        private static object? Stored(string name)
        {
            try
            {
                return PSValue.Unwrap(Runspace.DefaultRunspace?.SessionStateProxy?.PSVariable.GetValue(name));
            }
            catch (PSInvalidOperationException)
            {
                return null;
            }
        }
    }
}

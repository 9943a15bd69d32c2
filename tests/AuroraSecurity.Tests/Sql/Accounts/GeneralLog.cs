using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.Sql.Accounts
{
    /// <summary>Reads the sandbox's general query log: what the server received, per connection thread.</summary>
    public sealed class GeneralLog
    {
        private static readonly Regex Header = new Regex(
            @"^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2})?\t\t?\s*(\d+) (Query|Quit|Connect|Init DB|Field List|Prepare|Execute|Close stmt|Reset stmt|Statistics|Ping|Change user|Set option|Refresh|Shutdown|Processlist|Kill|Debug|Binlog Dump)\t(.*)$",
            RegexOptions.CultureInvariant);

        private readonly string file;
        private readonly long start;

        private GeneralLog(string file, long start)
        {
            this.file = file;
            this.start = start;
        }

        /// <summary>Remembers where the log ends now; entries are read from here on.</summary>
        public static GeneralLog Mark(SandboxServer server)
        {
            var path = server.GeneralLogFile ?? throw new InvalidOperationException("The sandbox runs without --general-log; account tests need it to prove what was sent.");
            return new GeneralLog(path, new FileInfo(path).Length);
        }

        /// <summary>The (command, argument) entries of one connection since the mark; waits until <paramref name="until"/> holds or 10 s pass.</summary>
        public IReadOnlyList<(string Command, string Argument)> EntriesOf(long threadId, Func<IReadOnlyList<(string Command, string Argument)>, bool>? until = null)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                var entries = Read().Where(e => e.Thread == threadId).Select(e => (e.Command, e.Argument)).ToList();
                if (until == null || until(entries) || DateTime.UtcNow > deadline)
                {
                    return entries;
                }

                Thread.Sleep(100);
            }
        }

        /// <summary>Every entry since the mark, any thread.</summary>
        public IReadOnlyList<(long Thread, string Command, string Argument)> Read()
        {
            string text;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                stream.Seek(start, SeekOrigin.Begin);
                using (var reader = new StreamReader(stream, new UTF8Encoding(false)))
                {
                    text = reader.ReadToEnd();
                }
            }

            var result = new List<(long Thread, string Command, StringBuilder Argument)>();
            foreach (var line in text.Split('\n'))
            {
                var match = Header.Match(line);
                if (match.Success)
                {
                    result.Add((long.Parse(match.Groups[1].Value), match.Groups[2].Value, new StringBuilder(match.Groups[3].Value)));
                }
                else if (result.Count > 0)
                {
                    // A statement with a line break continues on the next line of the log.
                    result[result.Count - 1].Argument.Append('\n').Append(line);
                }
            }

            // The file ends with a line break, which the split turned into an empty continuation.
            return result.Select(e => (e.Thread, e.Command, TrimFinalBreak(e.Argument.ToString()))).ToList();
        }

        private static string TrimFinalBreak(string argument) => argument.EndsWith("\n", StringComparison.Ordinal) ? argument.Substring(0, argument.Length - 1) : argument;
    }
}

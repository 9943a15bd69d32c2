using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AuroraSecurity.Tests.Sql.Accounts
{
    /// <summary>A reproducible corpus of hostile account names, each tagged with the category it exercises.</summary>
    public static class HostileNameCorpus
    {
        private const string Hostile = "'\"`\\%_ ;-#/*@=()\t\n\r\u0001\u001a\u007f";

        private static readonly string[] Unicode =
        {
            "\u00e9", "\u00df", "\u4e2d\u6587", "\u0416", "\u0639\u0631\u0628\u064a", "e\u0301", "a\u0308\u0323", "\u200d", "\u200b",
            "\ufeff", "\u2028", "\u00a0", "\u30c6\u30b9\u30c8", "\u05e9\u05dc\u05d5\u05dd", "\ufffd", "\u0130", "\u212a",
        };

        private static readonly string[] Astral = { "\U0001F600", "\U0001F469\u200D\U0001F4BB", "\U00010348", "\U0001D11E", "\U0001F1EB\U0001F1F7" };

        private static readonly string[] SqlFragments =
        {
            "x'@'%'; DROP USER admin; --", "x'@'%'; DROP USER 'rdsadmin'@'localhost'; --", "'; DROP USER admin; #", "\\'; DROP USER admin; --",
            "admin'@'%' -- ", "a' OR '1'='1", "x`; DROP TABLE mysql.user; --", "\"; DROP USER admin; --", "/*", "*/", "x/*!50000 DROP*/",
            "x\\", "\\", "\\\\", "'", "''", "\\'", "%", "_", "%%", "\\%", "\\_", "@", "'@'", "x' IDENTIFIED BY 'p", "x' REQUIRE NONE --",
            "x\u0000y", "\u0000", "x'\u0000'", "x\n; DROP USER admin", "x\r\nDROP USER admin", "x;", ";", "--", "#", "$$", "?", "\u00bf'",
            "\u02b9", "\u2019; DROP USER admin; --", "\uff07; DROP USER admin; --", "N'x'", "0x41", "_utf8'x'", "x' COLLATE utf8_bin --",
        };

        /// <summary>(category, name) pairs; at least <paramref name="minimum"/> distinct names.</summary>
        public static IReadOnlyList<(string Category, string Name)> Generate(int minimum, int seed = 20261126)
        {
            var random = new Random(seed);
            var result = new List<(string, string)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);

            void Add(string category, string name)
            {
                if (seen.Add(name))
                {
                    result.Add((category, name));
                }
            }

            Add("empty", string.Empty);
            foreach (var fragment in SqlFragments)
            {
                Add("sql-fragment", fragment);
            }

            foreach (var c in Hostile)
            {
                Add("single-hostile-char", c.ToString());
                Add("hostile-char-inside", "a" + c + "b");
                Add("leading-hostile-char", c + "x");
            }

            foreach (var u in Unicode)
            {
                Add("unicode", u);
                Add("unicode", "u" + u + "'" + u);
            }

            foreach (var a in Astral)
            {
                Add("astral", a);
                Add("astral", "x" + a);
            }

            foreach (var length in new[] { 31, 32, 33, 64, 128, 129, 300 })
            {
                Add("length", new string('L', length));
                Add("length", new string('\u00e9', length));
                Add("length", string.Concat(Enumerable.Repeat("'\\", length / 2)) + (length % 2 == 1 ? "'" : string.Empty));
            }

            foreach (var name in new[] { "trailing ", "trailing  ", " ", "  ", "x\t ", " leading", "in ner" })
            {
                Add("spaces", name);
            }

            foreach (var reserved in new[] { "rdsadmin", "rds_superuser_role", "rdsrepladmin", "mysql.sys", "mysql.session", "mysql.infoschema", "AWS_LOAD_S3_ACCESS", "AWS_SELECT_S3_ACCESS", "AWS_LAMBDA_ACCESS" })
            {
                Add("reserved", reserved);
            }

            foreach (var lookalike in new[] { "RDSADMIN", "rdsadmin_", "rdsadmin'", "rdsadmin\\", "AWS_load_S3_ACCESS", "Admin", "ADMIN", "admin'", "admin\\", "admin%", "admin_" })
            {
                Add("lookalike", lookalike);
            }

            var pool = Hostile + "abcXYZ019" + string.Concat(Unicode);
            while (result.Count < minimum)
            {
                // Mostly storable lengths, a few over the limit; one name in ten carries an astral character.
                var length = random.Next(1, 37);
                var builder = new StringBuilder(length);
                for (var i = 0; i < length; i++)
                {
                    builder.Append(pool[random.Next(pool.Length)]);
                }

                if (random.Next(10) == 0)
                {
                    builder.Insert(random.Next(builder.Length + 1), Astral[random.Next(Astral.Length)]);
                }

                if (random.Next(40) == 0)
                {
                    builder.Insert(random.Next(builder.Length + 1), '\0');
                }

                Add("random", builder.ToString());
            }

            return result;
        }
    }
}

using System;

namespace AuroraSecurity.Tests.Infrastructure
{
    /// <summary>
    /// What a test needs besides the code under test, as the xunit trait <c>Needs</c>:
    /// <c>[Trait(Needs.Key, Needs.MariaDb)]</c>. <c>./build.ps1 -Task UnitTest</c> runs only the tests that need
    /// nothing; there every helper that would start or reach a server refuses, so an untagged test that needs one
    /// fails with the tag to add instead of starting a server.
    /// </summary>
    public static class Needs
    {
        public const string Key = "Needs";

        /// <summary>Nothing but the code: no server, no process, no other client.</summary>
        public const string Nothing = "None";

        /// <summary>The MariaDB sandbox (tests/sandbox), and the tools that probe it (mariadb, sslscan).</summary>
        public const string MariaDb = "MariaDB";

        /// <summary>The RDS API double (tests/RdsDouble), in-process or as a process.</summary>
        public const string RdsDouble = "RdsDouble";

        /// <summary>An independent AWS client: the aws CLI or botocore.</summary>
        public const string AwsCli = "AwsCli";

        /// <summary>Set by the UnitTest task: only tests that need nothing run.</summary>
        public const string UnitOnlyVariable = "AURORA_UNIT_TESTS_ONLY";

        /// <summary>Throws when the run is limited to tests that need nothing.</summary>
        public static void Require(string need)
        {
            if (Environment.GetEnvironmentVariable(UnitOnlyVariable) == "1")
            {
                throw new InvalidOperationException(
                    $"This test needs {need}, which the UnitTest task does not provide: tag its class with [Trait(Needs.Key, Needs.{Member(need)})].");
            }
        }

        private static string Member(string need) => need switch
        {
            MariaDb => nameof(MariaDb),
            RdsDouble => nameof(RdsDouble),
            AwsCli => nameof(AwsCli),
            _ => need,
        };
    }
}

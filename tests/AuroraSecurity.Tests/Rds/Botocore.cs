using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.Rds
{
    /// <summary>Runs botocore (python3) as an independent reference implementation.</summary>
    internal static class Botocore
    {
        /// <summary>Python that freezes botocore's clock at FROZEN_TIME (yyyyMMddTHHmmss, UTC).</summary>
        public const string FreezeClock = @"
import datetime, os
from unittest import mock
_frozen = datetime.datetime.strptime(os.environ['FROZEN_TIME'], '%Y%m%dT%H%M%S')
class _Frozen(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return _frozen
    @classmethod
    def now(cls, tz=None):
        return _frozen.replace(tzinfo=tz) if tz is not None else _frozen
_patch = mock.patch('botocore.auth.datetime.datetime', _Frozen)
_patch.start()
";

        public static string Run(string script, IDictionary<string, string> environment, params string[] args)
        {
            Needs.Require(Needs.AwsCli);
            var psi = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script);
            foreach (var a in args) psi.ArgumentList.Add(a);
            // Keep the reference free of any credentials or region configured on the machine.
            foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(name);
            psi.Environment["AWS_CONFIG_FILE"] = "/nonexistent-aws-config";
            psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent-aws-credentials";
            foreach (var kv in environment) psi.Environment[kv.Key] = kv.Value;

            using var process = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(180_000))
            {
                process.Kill();
                throw new TimeoutException("botocore reference timed out");
            }

            if (process.ExitCode != 0) throw new InvalidOperationException("botocore reference failed: " + stderr.Result);
            return stdout.Result.TrimEnd('\r', '\n');
        }
    }
}

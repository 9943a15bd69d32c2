using System;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    /// <summary>A sandbox whose certificate has CN=localhost and no SAN.</summary>
    public sealed class NoSanSandbox : IDisposable
    {
        public SandboxServer Server { get; } = SandboxServer.Start(new SandboxOptions { Name = "tls-nosan", NoSan = true });

        public void Dispose() => Server.Dispose();
    }

    /// <summary>A sandbox started with require_secure_transport=ON.</summary>
    public sealed class SecureTransportSandbox : IDisposable
    {
        public SandboxServer Server { get; } = SandboxServer.Start(new SandboxOptions { Name = "tls-rst", RequireSecureTransport = true });

        public void Dispose() => Server.Dispose();
    }

    /// <summary>A TLS 1.2-only sandbox whose ssl_cipher allows three of the twelve Aurora MySQL ciphers.</summary>
    public sealed class RestrictedCipherSandbox : IDisposable
    {
        public static readonly string[] Allowed = { "ECDHE-RSA-AES256-GCM-SHA384", "DHE-RSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA" };

        public SandboxServer Server { get; } = SandboxServer.Start(new SandboxOptions { Name = "tls-cipher", SslCipher = string.Join(",", Allowed) });

        public void Dispose() => Server.Dispose();
    }

    /// <summary>Test classes that share the restricted-cipher sandbox: one server, started once.</summary>
    [CollectionDefinition(Name)]
    public sealed class RestrictedCipherCollection : ICollectionFixture<RestrictedCipherSandbox>
    {
        public const string Name = "restricted-cipher";
    }
}

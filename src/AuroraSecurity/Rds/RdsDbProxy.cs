namespace AuroraSecurity.Rds
{
    /// <summary>An RDS Proxy, with whether it requires TLS from clients.</summary>
    public sealed class RdsDbProxy
    {
        public string DBProxyName { get; set; } = string.Empty;
        public string? DBProxyArn { get; set; }
        public string? EngineFamily { get; set; }
        public string? Endpoint { get; set; }
        /// <summary>Whether the proxy requires TLS from clients; null when the answer left it out (unknown).</summary>
        public bool? RequireTLS { get; set; }
        public string? Status { get; set; }

        public override string ToString() => DBProxyName;
    }
}

namespace AuroraSecurity.Engine
{
    /// <summary>Placeholder.</summary>
    public sealed class AuroraEngineVersion { }
}

using Xunit;
namespace AuroraSecurity.Tests
{
    public class SmokeTests { [Fact] public void Builds() => Assert.NotNull(new AuroraSecurity.Engine.AuroraEngineVersion()); }
}

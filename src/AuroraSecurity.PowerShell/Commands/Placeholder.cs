namespace AuroraSecurity.PowerShell.Commands
{
    internal static class Placeholder { }
}

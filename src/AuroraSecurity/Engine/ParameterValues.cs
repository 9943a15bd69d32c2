using System;

namespace AuroraSecurity.Engine
{
    /// <summary>How MySQL spells the values of its parameters and variables; the one reader of each spelling.</summary>
    public static class ParameterValues
    {
        /// <summary>True for ON/1/TRUE, false for OFF/0/FALSE (any case, spaces ignored), null for anything else or nothing.</summary>
        public static bool? OnOff(string? value)
        {
            var v = (value ?? string.Empty).Trim();
            if (string.Equals(v, "ON", StringComparison.OrdinalIgnoreCase) || v == "1" || string.Equals(v, "TRUE", StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(v, "OFF", StringComparison.OrdinalIgnoreCase) || v == "0" || string.Equals(v, "FALSE", StringComparison.OrdinalIgnoreCase)) return false;
            return null;
        }
    }
}

using System.Linq;
using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists the engine default cluster parameters of a parameter group family, optionally filtered by name.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraEngineDefaultParameter")]
    [OutputType(typeof(AuroraParameter))]
    public sealed class GetAuroraEngineDefaultParameterCommand : AwsCmdletBase
    {
        /// <summary>aurora-mysql5.7, aurora-mysql8.0, …; binds ParameterGroupFamily (Get-AuroraTlsConfig) and DBParameterGroupFamily (AWS.Tools).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ParameterGroupFamily", "DBParameterGroupFamily")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(FamilyCompleter))]
        public string Family { get; set; } = string.Empty;

        /// <summary>Parameter names; wildcards allowed.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var service = new AuroraClusterService(GetRdsApi(), ResolveAwsContext().Region);
            System.Collections.Generic.IReadOnlyList<AuroraParameter> parameters;
            try
            {
                parameters = Await(ct => service.GetEngineDefaultParametersAsync(Family, ct));
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                WriteFailure(e, Family);
                return;
            }

            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            foreach (var parameter in parameters.Where(p => patterns.Any(w => w.IsMatch(p.ParameterName))))
            {
                WriteObject(parameter);
            }
        }
    }
}

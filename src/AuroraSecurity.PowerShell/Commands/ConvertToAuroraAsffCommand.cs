using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;
using AuroraSecurity.Audit;
using AuroraSecurity.Reporting;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Writes audit findings in the AWS Security Finding Format: one JSON document per batch of at most 100, the input of BatchImportFindings.</summary>
    [Cmdlet(VerbsData.ConvertTo, "AuroraAsff")]
    [OutputType(typeof(string))]
    public sealed class ConvertToAuroraAsffCommand : AuroraCmdlet
    {
        private readonly List<OrderedDictionary> _pending = new List<OrderedDictionary>();
        private AsffConverter? _converter;

        /// <summary>Findings from Invoke-AuroraSecurityAudit.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Finding[]? Finding { get; set; }

        /// <summary>The account for findings whose cluster ARN does not name one.</summary>
        [Parameter]
        [ValidatePattern("^[0-9]{12}$")]
        public string? AwsAccountId { get; set; }

        /// <summary>CreatedAt of every finding (when the issue was first seen); each finding's evaluation time when omitted.</summary>
        [Parameter]
        public DateTime? CreatedAt { get; set; }

        /// <summary>Findings per document, 1 to 100.</summary>
        [Parameter]
        [ValidateRange(1, AsffConverter.MaxBatchSize)]
        public int BatchSize { get; set; } = AsffConverter.MaxBatchSize;

        /// <summary>Indented JSON, easier to read.</summary>
        [Parameter]
        public SwitchParameter Indent { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            _converter = new AsffConverter(AwsAccountId, CreatedAt);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var finding in Finding ?? new Finding[0])
            {
                if (finding == null) continue;
                try
                {
                    _pending.Add(_converter!.Convert(finding));
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    WriteFailure(e, finding);
                    continue;
                }

                if (_pending.Count == BatchSize) Flush();
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_pending.Count > 0) Flush();
        }

        private void Flush()
        {
            WriteObject(AsffConverter.BatchDocument(_pending.ToArray(), Indent.IsPresent));
            _pending.Clear();
        }
    }
}

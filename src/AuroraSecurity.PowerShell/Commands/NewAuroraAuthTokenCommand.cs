using System;
using System.Management.Automation;
using AuroraSecurity.Rds;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Makes an IAM database authentication token: the password an IAM-enabled database user logs in with, valid for 15 minutes.</summary>
    [Cmdlet(VerbsCommon.New, "AuroraAuthToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(string))]
    public sealed class NewAuroraAuthTokenCommand : AwsCmdletBase
    {
        /// <summary>The cluster or instance endpoint the token is for.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Server", "Address", "SqlInstance")]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>The port the token is for.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 3306;

        /// <summary>The database user created WITH AWSAuthenticationPlugin.</summary>
        [Parameter(Mandatory = true)]
        [Alias("UserName")]
        [ValidateNotNullOrEmpty]
        public string DbUser { get; set; } = string.Empty;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!ShouldProcess($"{DbUser} at {Endpoint}:{Port}", "Sign an IAM database authentication token"))
            {
                return;
            }

            var context = ResolveAwsContext();
            WriteVerbose($"Signing an IAM auth token for '{DbUser}' at {Endpoint}:{Port} in {context.Region}, valid {RdsAuthTokenGenerator.TokenLifetime.TotalMinutes:0} minutes.");
            try
            {
                var credentials = Await(ct => context.Credentials.GetCredentialsAsync(ct));
                WriteObject(RdsAuthTokenGenerator.Generate(credentials, context.Region, Endpoint, Port, DbUser, DateTime.UtcNow));
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, Endpoint);
            }
        }
    }
}

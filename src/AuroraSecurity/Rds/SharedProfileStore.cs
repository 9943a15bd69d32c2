using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime.CredentialManagement;

namespace AuroraSecurity.Rds
{
    /// <summary>
    /// The AWS profiles of one resolution, read from files named when it starts: the shared credentials file (-ProfileLocation, else
    /// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials) and the config file (AWS_CONFIG_FILE, else ~/.aws/config). AWSSDK.Core
    /// fixes both paths at its first use in a process, so a session (or a runbook) that points AWS_CONFIG_FILE elsewhere later would
    /// still read the first file; this store reads the files the environment names now. A setting in the credentials file wins over
    /// the same setting in the config file, as in the AWS CLI. On Windows without -ProfileLocation, the AWS SDK store (Set-AWSCredential)
    /// is asked first, as AWS Tools for PowerShell does.
    /// </summary>
    public sealed class SharedProfileStore : ICredentialProfileSource
    {
        // Profile keys the SDK's credential factory understands, mapped onto its options.
        private static readonly IReadOnlyDictionary<string, Action<CredentialProfileOptions, string>> OptionSetters =
            new Dictionary<string, Action<CredentialProfileOptions, string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["aws_access_key_id"] = (o, v) => o.AccessKey = v,
                ["aws_secret_access_key"] = (o, v) => o.SecretKey = v,
                ["aws_session_token"] = (o, v) => o.Token = v,
                ["aws_account_id"] = (o, v) => o.AwsAccountId = v,
                ["role_arn"] = (o, v) => o.RoleArn = v,
                ["source_profile"] = (o, v) => o.SourceProfile = v,
                ["credential_source"] = (o, v) => o.CredentialSource = v,
                ["external_id"] = (o, v) => o.ExternalID = v,
                ["mfa_serial"] = (o, v) => o.MfaSerial = v,
                ["role_session_name"] = (o, v) => o.RoleSessionName = v,
                ["web_identity_token_file"] = (o, v) => o.WebIdentityTokenFile = v,
                ["credential_process"] = (o, v) => o.CredentialProcess = v,
                ["sso_account_id"] = (o, v) => o.SsoAccountId = v,
                ["sso_role_name"] = (o, v) => o.SsoRoleName = v,
                ["sso_region"] = (o, v) => o.SsoRegion = v,
                ["sso_start_url"] = (o, v) => o.SsoStartUrl = v,
                ["sso_registration_scopes"] = (o, v) => o.SsoRegistrationScopes = v,
                ["sso_session"] = (o, v) => o.SsoSession = v,
            };

        private readonly bool _askSdkStore;

        private SharedProfileStore(string credentialsPath, string configPath, AwsConfigFile merged, bool askSdkStore)
        {
            CredentialsPath = credentialsPath;
            ConfigPath = configPath;
            Settings = merged;
            _askSdkStore = askSdkStore;
        }

        /// <summary>The shared credentials file read.</summary>
        public string CredentialsPath { get; }

        /// <summary>The config file read.</summary>
        public string ConfigPath { get; }

        /// <summary>Both files as one: the config file's sections, with each credentials file profile laid over its config section.</summary>
        public AwsConfigFile Settings { get; }

        /// <summary>
        /// Reads the files the environment names now (<paramref name="profileLocation"/>, when given, is the credentials file and the
        /// SDK store is not asked). A missing file is empty.
        /// </summary>
        public static SharedProfileStore Open(Func<string, string?> environment, string? profileLocation)
        {
            if (environment == null) throw new ArgumentNullException(nameof(environment));
            var explicitLocation = !string.IsNullOrWhiteSpace(profileLocation);
            var credentialsPath = explicitLocation ? profileLocation! : DefaultCredentialsPath(environment);
            var configPath = AwsConfigFile.DefaultPath(environment);
            var merged = AwsConfigFile.Overlay(AwsConfigFile.Load(configPath), AwsConfigFile.Load(credentialsPath));
            return new SharedProfileStore(credentialsPath, configPath, merged, !explicitLocation && RuntimeInformation.IsOSPlatform(OSPlatform.Windows));
        }

        /// <summary>The shared credentials file the SDKs use: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.</summary>
        public static string DefaultCredentialsPath(Func<string, string?> environment)
        {
            if (environment == null) throw new ArgumentNullException(nameof(environment));
            var configured = environment("AWS_SHARED_CREDENTIALS_FILE");
            if (!string.IsNullOrWhiteSpace(configured)) return configured!;
            return Path.Combine(AwsConfigFile.HomeDirectory(environment), ".aws", "credentials");
        }

        /// <inheritdoc />
        public bool TryGetProfile(string profileName, out CredentialProfile profile)
        {
            if (_askSdkStore && TryGetSdkStoreProfile(profileName, out profile)) return true;
            var section = string.IsNullOrEmpty(profileName) ? null : Settings.Profile(profileName);
            if (section == null)
            {
                profile = null!;
                return false;
            }

            var options = new CredentialProfileOptions();
            foreach (var pair in section)
            {
                if (!string.IsNullOrWhiteSpace(pair.Value) && OptionSetters.TryGetValue(pair.Key, out var set)) set(options, pair.Value.Trim());
            }

            // An sso_session names an [sso-session name] section that holds the portal's start URL, region and scopes.
            if (!string.IsNullOrWhiteSpace(options.SsoSession))
            {
                var session = Settings.SsoSession(options.SsoSession!.Trim());
                if (session == null)
                {
                    throw new AwsConfigurationException("The AWS profile '" + profileName + "' names sso_session '" + options.SsoSession + "', which has no [sso-session " + options.SsoSession + "] section in '" + ConfigPath + "'.");
                }

                if (session.TryGetValue("sso_start_url", out var url)) options.SsoStartUrl = url;
                if (session.TryGetValue("sso_region", out var ssoRegion)) options.SsoRegion = ssoRegion;
                if (session.TryGetValue("sso_registration_scopes", out var scopes)) options.SsoRegistrationScopes = scopes;
            }

            profile = new CredentialProfile(profileName, options);
            if (section.TryGetValue("region", out var region) && !string.IsNullOrWhiteSpace(region)) profile.Region = RegionEndpoint.GetBySystemName(region.Trim());
            return true;
        }

        private static bool TryGetSdkStoreProfile(string profileName, out CredentialProfile profile)
        {
            try
            {
                var store = new NetSDKCredentialsFile();
                if (store.TryGetProfile(profileName, out profile) && profile != null) return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidOperationException || e is PlatformNotSupportedException)
            {
                // An unreadable SDK store is passed over, as AWS Tools does; the shared files are read next.
            }

            profile = null!;
            return false;
        }
    }
}

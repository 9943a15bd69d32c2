using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Rds
{
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class AwsContextResolverTests : IDisposable
    {
        private const string Secret = "s3cr3t/KEY+do-not-print";
        private readonly string _dir = Directory.CreateTempSubdirectory("aurora-aws-").FullName;
        private readonly Dictionary<string, string> _env = new Dictionary<string, string>();
        private int _sdkChainCalls;

        // The profile files the resolver finds by itself are under this test's own home directory, never the machine's.
        public AwsContextResolverTests() => _env["HOME"] = _dir;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private AwsContextResolver Resolver(Func<AWSCredentials>? chain = null, string? sdkRegion = null) =>
            new AwsContextResolver(
                name => _env.TryGetValue(name, out var v) ? v : null,
                () =>
                {
                    _sdkChainCalls++;
                    return chain != null ? chain() : throw new AmazonClientException("Exception 1 of 4: env\nException 2 of 4: profile");
                },
                () => sdkRegion);

        private string ProfileFile(string content)
        {
            var path = Path.Combine(_dir, "credentials");
            File.WriteAllText(path, content);
            return path;
        }

        private string EmptyProfiles() => ProfileFile(string.Empty);

        private static AwsCredentialSet Read(AwsContext context) => context.Credentials.GetCredentialsAsync(CancellationToken.None).GetAwaiter().GetResult();

        private string FileIn(string name, string content)
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllText(path, content);
            return path;
        }

        [Fact]
        public void ConfigFileIsTheOneTheEnvironmentNamesAtEachResolution()
        {
            _env["AWS_SHARED_CREDENTIALS_FILE"] = FileIn("no-credentials", string.Empty);
            var first = FileIn("first.config", "[profile ops]\naws_access_key_id = AKIAFIRST\naws_secret_access_key = a\nregion = eu-west-1\n");
            var second = FileIn("second.config", "[profile ops]\naws_access_key_id = AKIASECOND\naws_secret_access_key = b\nregion = ap-southeast-2\n");
            var resolver = Resolver();

            _env["AWS_CONFIG_FILE"] = first;
            var before = resolver.Resolve(new AwsContextRequest { ProfileName = "ops" });
            _env["AWS_CONFIG_FILE"] = second;
            var after = resolver.Resolve(new AwsContextRequest { ProfileName = "ops" });

            Assert.Equal(("AKIAFIRST", "eu-west-1"), (Read(before).AccessKey, before.Region));
            Assert.Equal(("AKIASECOND", "ap-southeast-2"), (Read(after).AccessKey, after.Region));
        }

        [Fact]
        public void CredentialsFileIsTheOneTheEnvironmentNamesAndItsKeysWinOverTheConfigFile()
        {
            _env["AWS_CONFIG_FILE"] = FileIn("config", "[profile ops]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = c\nregion = eu-central-1\n");
            var resolver = Resolver();
            _env["AWS_SHARED_CREDENTIALS_FILE"] = FileIn("first.credentials", "[ops]\naws_access_key_id = AKIAFIRSTCREDS\naws_secret_access_key = a\n");
            var before = resolver.Resolve(new AwsContextRequest { ProfileName = "ops" });
            _env["AWS_SHARED_CREDENTIALS_FILE"] = FileIn("second.credentials", "[ops]\naws_access_key_id = AKIASECONDCREDS\naws_secret_access_key = b\n");
            var after = resolver.Resolve(new AwsContextRequest { ProfileName = "ops" });

            Assert.Equal("AKIAFIRSTCREDS", Read(before).AccessKey);
            Assert.Equal("AKIASECONDCREDS", Read(after).AccessKey);
            Assert.Equal("eu-central-1", after.Region);
        }

        [Fact]
        public void ProfileNotFoundNamesTheFilesItRead()
        {
            var config = FileIn("config", "[profile other]\nregion = eu-west-1\n");
            var credentials = FileIn("credentials.ini", string.Empty);
            _env["AWS_CONFIG_FILE"] = config;
            _env["AWS_SHARED_CREDENTIALS_FILE"] = credentials;
            var e = Assert.Throws<AwsConfigurationException>(() => Resolver().Resolve(new AwsContextRequest { ProfileName = "ops", Region = "eu-west-1" }));
            Assert.Contains("'" + config + "'", e.Message);
            Assert.Contains("'" + credentials + "'", e.Message);
        }

        [Fact]
        public void SsoSessionProfileTakesTheSessionsStartUrlAndRegion()
        {
            var store = SharedProfileStore.Open(
                name => name == "AWS_CONFIG_FILE"
                    ? FileIn("sso.config", "[profile ssouser]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Auditor\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n")
                    : name == "HOME" ? _dir : null,
                null);
            Assert.True(store.TryGetProfile("ssouser", out var profile));
            Assert.Equal(("corp", "https://corp.awsapps.com/start", "eu-west-1"), (profile.Options.SsoSession, profile.Options.SsoStartUrl, profile.Options.SsoRegion));
            Assert.Equal(("111111111111", "Auditor"), (profile.Options.SsoAccountId, profile.Options.SsoRoleName));
            Assert.Equal("us-east-1", profile.Region.SystemName);
        }

        [Fact]
        public void SsoSessionWithoutItsSectionIsAClearError()
        {
            _env["AWS_CONFIG_FILE"] = FileIn("sso.config", "[profile ssouser]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Auditor\n");
            var e = Assert.Throws<AwsConfigurationException>(() => Resolver().Resolve(new AwsContextRequest { ProfileName = "ssouser", Region = "eu-west-1" }));
            Assert.Contains("[sso-session corp]", e.Message);
        }

        [Fact]
        public void AnEndpointConfiguredForRdsAloneNeverServesEc2()
        {
            var request = new AwsContextRequest { AccessKey = "AKIA", SecretKey = "s", Region = "eu-west-1" };
            _env["AWS_ENDPOINT_URL_RDS"] = "https://vpce-rds.example.com/";
            Assert.Null(Resolver().Resolve(request).Ec2Endpoint);

            _env["AWS_ENDPOINT_URL_EC2"] = "https://vpce-ec2.example.com/";
            Assert.Equal(new Uri("https://vpce-ec2.example.com/"), Resolver().Resolve(request).Ec2Endpoint);

            _env.Remove("AWS_ENDPOINT_URL_EC2");
            _env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5077/";
            Assert.Equal(new Uri("http://127.0.0.1:5077/"), Resolver().Resolve(request).Ec2Endpoint);

            request.EndpointUrl = "http://127.0.0.1:6000";
            var explicitEndpoint = Resolver().Resolve(request);
            Assert.Equal(new Uri("http://127.0.0.1:6000/"), explicitEndpoint.Ec2Endpoint);
            Assert.Equal(explicitEndpoint.Ec2Endpoint, explicitEndpoint.WithRole(explicitEndpoint.CreateRoleSource(new AssumeRoleSettings("arn:aws:iam::111111111111:role/Auditor"))).Ec2Endpoint);
        }

        [Fact]
        public void SecretsManagerTakesItsOwnEndpointTheGlobalOneOrEndpointUrlButNeverRdsAlone()
        {
            var request = new AwsContextRequest { AccessKey = "AKIA", SecretKey = "s", Region = "eu-west-1" };
            _env["AWS_ENDPOINT_URL_RDS"] = "https://vpce-rds.example.com/";
            Assert.Null(Resolver().Resolve(request).SecretsManagerEndpoint);

            _env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "https://vpce-secrets.example.com/";
            Assert.Equal(new Uri("https://vpce-secrets.example.com/"), Resolver().Resolve(request).SecretsManagerEndpoint);

            _env.Remove("AWS_ENDPOINT_URL_SECRETS_MANAGER");
            _env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5077/";
            Assert.Equal(new Uri("http://127.0.0.1:5077/"), Resolver().Resolve(request).SecretsManagerEndpoint);

            _env.Remove("AWS_ENDPOINT_URL");
            _env.Remove("AWS_ENDPOINT_URL_RDS");
            _env["AWS_CONFIG_FILE"] = FileIn("services.config",
                "[profile vpc]\nregion = eu-west-1\nservices = vpc-endpoints\n\n[services vpc-endpoints]\nrds =\n  endpoint_url = https://rds.vpce.example\nsecrets_manager =\n  endpoint_url = https://secrets.vpce.example\n");
            var fromProfile = Resolver().Resolve(new AwsContextRequest { AccessKey = "AKIA", SecretKey = "s", ProfileName = "vpc", Region = "eu-west-1" });
            Assert.Equal(new Uri("https://secrets.vpce.example/"), fromProfile.SecretsManagerEndpoint);
            Assert.Equal(new Uri("https://rds.vpce.example/"), fromProfile.Endpoint);

            request.EndpointUrl = "http://127.0.0.1:6000";
            var explicitEndpoint = Resolver().Resolve(request);
            Assert.Equal(new Uri("http://127.0.0.1:6000/"), explicitEndpoint.SecretsManagerEndpoint);
            Assert.Equal(explicitEndpoint.SecretsManagerEndpoint, explicitEndpoint.WithRole(explicitEndpoint.CreateRoleSource(new AssumeRoleSettings("arn:aws:iam::111111111111:role/Auditor"))).SecretsManagerEndpoint);
        }

        [Fact]
        public void ExplicitKeysWinOverEverythingElse()
        {
            _env["AWS_ACCESS_KEY_ID"] = "AKIAENV";
            _env["AWS_SECRET_ACCESS_KEY"] = "envsecret";
            var context = Resolver().Resolve(new AwsContextRequest
            {
                AccessKey = "AKIAEXPLICIT",
                SecretKey = Secret,
                SessionToken = "tok",
                ProfileName = "does-not-exist",
                Credential = new ForeignCredentials("AKIAFOREIGN", "x", null),
                Region = "eu-west-1",
            });
            var keys = Read(context);
            Assert.Equal("AKIAEXPLICIT", keys.AccessKey);
            Assert.Equal("tok", keys.SessionToken);
            Assert.Contains("-AccessKey", context.CredentialProvenance);
            Assert.Equal("region eu-west-1 from -Region", context.RegionProvenance);
            Assert.Equal(new Uri("https://rds.eu-west-1.amazonaws.com/"), context.Endpoint);
        }

        [Fact]
        public void AccessKeyWithoutSecretKeyIsAnError()
        {
            var e = Assert.Throws<AwsConfigurationException>(() => Resolver().Resolve(new AwsContextRequest { AccessKey = "AKIA", Region = "eu-west-1" }));
            Assert.Contains("-SecretKey", e.Message);
        }

        [Fact]
        public void MissingProfileIsAnErrorNamingItAndDoesNotFallThrough()
        {
            _env["AWS_ACCESS_KEY_ID"] = "AKIAENV";
            _env["AWS_SECRET_ACCESS_KEY"] = "envsecret";
            var location = ProfileFile("[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = x\n");
            var e = Assert.Throws<AwsConfigurationException>(() =>
                Resolver().Resolve(new AwsContextRequest { ProfileName = "prod-admin", ProfileLocation = location, Region = "eu-west-1" }));
            Assert.Contains("'prod-admin'", e.Message);
            Assert.Contains(location, e.Message);
            Assert.Equal(0, _sdkChainCalls);
        }

        [Fact]
        public void ProfileFromAFileGivesCredentialsRegionAndProvenance()
        {
            var location = ProfileFile("[prod]\naws_access_key_id = AKIAPROD\naws_secret_access_key = " + Secret + "\naws_session_token = prodtoken\nregion = eu-central-1\n\n[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n");
            var context = Resolver().Resolve(new AwsContextRequest { ProfileName = "prod", ProfileLocation = location });
            var keys = Read(context);
            Assert.Equal("AKIAPROD", keys.AccessKey);
            Assert.Equal(Secret, keys.SecretKey);
            Assert.Equal("prodtoken", keys.SessionToken);
            Assert.Equal("eu-central-1", context.Region);
            Assert.Equal("credentials from profile 'prod' in '" + location + "'", context.CredentialProvenance);
            Assert.Equal("region eu-central-1 from profile 'prod'", context.RegionProvenance);
        }

        [Fact]
        public void ProfileBeatsCredentialObjectAndStoredCredentials()
        {
            var location = ProfileFile("[prod]\naws_access_key_id = AKIAPROD\naws_secret_access_key = x\n");
            var context = Resolver().Resolve(new AwsContextRequest
            {
                ProfileName = "prod",
                ProfileLocation = location,
                Credential = new ForeignCredentials("AKIAFOREIGN", "y", null),
                StoredCredentials = new ForeignCredentials("AKIASTORED", "z", null),
                Region = "us-east-1",
            });
            Assert.Equal("AKIAPROD", Read(context).AccessKey);
        }

        [Fact]
        public void CredentialObjectOfAForeignTypeIsReadByReflection()
        {
            var context = Resolver().Resolve(new AwsContextRequest
            {
                Credential = new ForeignCredentials("AKIAFOREIGN", Secret, "foreigntoken"),
                StoredCredentials = new ForeignCredentials("AKIASTORED", "z", null),
                Region = "eu-west-1",
                ProfileLocation = EmptyProfiles(),
            });
            var keys = Read(context);
            Assert.Equal("AKIAFOREIGN", keys.AccessKey);
            Assert.Equal("foreigntoken", keys.SessionToken);
            Assert.Equal("credentials from -Credential (ForeignCredentials)", context.CredentialProvenance);
        }

        [Fact]
        public void SdkCredentialsObjectIsReadToo()
        {
            var context = Resolver().Resolve(new AwsContextRequest { Credential = new SessionAWSCredentials("AKIASDK", Secret, "sdktoken"), Region = "eu-west-1" });
            var keys = Read(context);
            Assert.Equal(("AKIASDK", "sdktoken"), (keys.AccessKey, keys.SessionToken));
        }

        [Fact]
        public void StoredCredentialsWrapperAndStoredRegionObjectAreUsed()
        {
            _env["AWS_ACCESS_KEY_ID"] = "AKIAENV";
            _env["AWS_SECRET_ACCESS_KEY"] = "envsecret";
            _env["AWS_REGION"] = "us-west-2";
            var context = Resolver().Resolve(new AwsContextRequest
            {
                StoredCredentials = new StoredWrapper(new ForeignCredentials("AKIASTORED", "z", null)),
                StoredRegion = new ForeignRegion("ap-southeast-2"),
            });
            Assert.Equal("AKIASTORED", Read(context).AccessKey);
            Assert.Equal("ap-southeast-2", context.Region);
            Assert.Equal("region ap-southeast-2 from $StoredAWSRegion", context.RegionProvenance);
            Assert.StartsWith("credentials from $StoredAWSCredentials", context.CredentialProvenance);
        }

        [Fact]
        public void EnvironmentVariablesComeBeforeTheDefaultProfile()
        {
            _env["AWS_ACCESS_KEY_ID"] = "AKIAENV";
            _env["AWS_SECRET_ACCESS_KEY"] = Secret;
            _env["AWS_SESSION_TOKEN"] = "envtoken";
            _env["AWS_DEFAULT_REGION"] = "sa-east-1";
            var location = ProfileFile("[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n");
            var context = Resolver().Resolve(new AwsContextRequest { ProfileLocation = location });
            var keys = Read(context);
            Assert.Equal(("AKIAENV", "envtoken"), (keys.AccessKey, keys.SessionToken));
            Assert.Contains("environment", context.CredentialProvenance);
            Assert.Equal("region sa-east-1 from environment variable AWS_DEFAULT_REGION", context.RegionProvenance);
        }

        [Fact]
        public void DefaultProfileIsUsedWhenNothingElseIsGiven()
        {
            var location = ProfileFile("[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\nregion = eu-north-1\n");
            var context = Resolver().Resolve(new AwsContextRequest { ProfileLocation = location });
            Assert.Equal("AKIADEFAULT", Read(context).AccessKey);
            Assert.StartsWith("credentials from default profile 'default'", context.CredentialProvenance);
            Assert.Equal("eu-north-1", context.Region);
            Assert.Equal(0, _sdkChainCalls);
        }

        [Fact]
        public void SdkChainIsTheLastResort()
        {
            var context = Resolver(() => new BasicAWSCredentials("AKIAROLE", "r"), sdkRegion: "eu-west-3")
                .Resolve(new AwsContextRequest { ProfileLocation = EmptyProfiles() });
            Assert.Equal("AKIAROLE", Read(context).AccessKey);
            Assert.Equal("eu-west-3", context.Region);
            Assert.Contains("fallback", context.CredentialProvenance);
            Assert.Contains("fallback", context.RegionProvenance);
        }

        [Fact]
        public void NothingFoundGivesOneClearMessageWithoutTheSdkDump()
        {
            var e = Assert.Throws<AwsConfigurationException>(() =>
                Resolver().Resolve(new AwsContextRequest { ProfileLocation = EmptyProfiles(), Region = "eu-west-1" }));
            Assert.StartsWith("No AWS credentials were found.", e.Message);
            Assert.Contains("Set-AWSCredential", e.Message);
            Assert.Contains("AWS_ACCESS_KEY_ID", e.Message);
            Assert.DoesNotContain("Exception 1 of", e.Message);
        }

        [Fact]
        public void NoRegionGivesAClearMessage()
        {
            var e = Assert.Throws<AwsConfigurationException>(() =>
                Resolver().Resolve(new AwsContextRequest { AccessKey = "AKIA", SecretKey = "s", ProfileLocation = EmptyProfiles() }));
            Assert.StartsWith("No AWS region was found.", e.Message);
            Assert.Contains("-Region", e.Message);
        }

        [Fact]
        public void CredentialObjectThatIsNotCredentialsIsRefusedClearly()
        {
            var e = Assert.Throws<AwsConfigurationException>(() =>
                Resolver().Resolve(new AwsContextRequest { Credential = "just a string", Region = "eu-west-1" }));
            Assert.Contains("-Credential", e.Message);
            Assert.Contains("System.String", e.Message);
        }

        [Fact]
        public void EndpointUrlIsCarriedIntoClientOptions()
        {
            var context = Resolver().Resolve(new AwsContextRequest { AccessKey = "AKIA", SecretKey = "s", Region = "eu-west-1", EndpointUrl = "http://127.0.0.1:5077" });
            Assert.Equal(new Uri("http://127.0.0.1:5077/"), context.CreateClientOptions().Endpoint);
            Assert.Contains("-EndpointUrl", context.EndpointProvenance);
        }

        [Fact]
        public void EndpointUrlComesFromTheSdkEnvironmentVariablesWhenNotGiven()
        {
            _env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5078";
            var request = new AwsContextRequest { AccessKey = "AKIA", SecretKey = "s", Region = "eu-west-1" };
            Assert.Equal(new Uri("http://127.0.0.1:5078/"), Resolver().Resolve(request).CreateClientOptions().Endpoint);
            Assert.Contains("AWS_ENDPOINT_URL", Resolver().Resolve(request).EndpointProvenance);

            _env["AWS_ENDPOINT_URL_RDS"] = "http://127.0.0.1:5079";
            Assert.Equal(new Uri("http://127.0.0.1:5079/"), Resolver().Resolve(request).CreateClientOptions().Endpoint);

            request.EndpointUrl = "http://127.0.0.1:5077";
            Assert.Equal(new Uri("http://127.0.0.1:5077/"), Resolver().Resolve(request).CreateClientOptions().Endpoint);

            request.EndpointUrl = null;
            _env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
            Assert.Contains("regional default", Resolver().Resolve(request).EndpointProvenance);
        }

        [Fact]
        public void SecretsNeverAppearInStringsOrMessages()
        {
            var keys = new AwsCredentialSet("AKIAIOSFODNN7EXAMPLE", Secret, "SESSION-TOKEN-VALUE");
            Assert.DoesNotContain(Secret, keys.ToString());
            Assert.DoesNotContain("SESSION-TOKEN-VALUE", keys.ToString());
            Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", keys.ToString());
            Assert.Contains("MPLE", keys.ToString());

            var request = new AwsContextRequest { AccessKey = "AKIAIOSFODNN7EXAMPLE", SecretKey = Secret, SessionToken = "SESSION-TOKEN-VALUE", Region = "eu-west-1" };
            Assert.DoesNotContain(Secret, request.ToString());
            var context = Resolver().Resolve(request);
            foreach (var text in new[] { context.ToString(), context.Credentials.ToString()! })
            {
                Assert.DoesNotContain(Secret, text);
                Assert.DoesNotContain("SESSION-TOKEN-VALUE", text);
            }

            var location = ProfileFile("[broken]\naws_access_key_id = AKIAB\naws_secret_access_key = " + Secret + "\n");
            var e = Assert.Throws<AwsConfigurationException>(() => Resolver().Resolve(new AwsContextRequest { ProfileName = "missing", ProfileLocation = location, Region = "eu-west-1" }));
            Assert.DoesNotContain(Secret, e.ToString());
        }

        [Fact]
        public async Task SignedRequestFailuresDoNotLeakSecrets()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Error(System.Net.HttpStatusCode.Forbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match."));
            using var client = FakeRdsHandler.Client(handler, new AwsCredentialSet("AKIAX", Secret, "SESSION-TOKEN-VALUE"));
            var e = await Assert.ThrowsAsync<RdsApiException>(() => client.DescribeDBClustersAsync());
            Assert.DoesNotContain(Secret, e.ToString());
            Assert.DoesNotContain("SESSION-TOKEN-VALUE", e.ToString());
        }

        /// <summary>Looks like AWSCredentials from another AWSSDK.Core version: same member names, unrelated type.</summary>
        public sealed class ForeignCredentials
        {
            private readonly string _a, _s;
            private readonly string? _t;

            public ForeignCredentials(string a, string s, string? t) => (_a, _s, _t) = (a, s, t);

            public ForeignImmutable GetCredentials() => new ForeignImmutable { AccessKey = _a, SecretKey = _s, Token = _t ?? string.Empty };
        }

        public sealed class ForeignImmutable
        {
            public string AccessKey { get; set; } = "";
            public string SecretKey { get; set; } = "";
            public string Token { get; set; } = "";
        }

        public sealed class StoredWrapper
        {
            public StoredWrapper(object credentials) => Credentials = credentials;

            public object Credentials { get; }
        }

        public sealed class ForeignRegion
        {
            public ForeignRegion(string name) => SystemName = name;

            public string SystemName { get; }

            public override string ToString() => "Foreign Region Display Name";
        }
    }
}

using System.Globalization;
using System.Text.Json;

namespace RdsDouble;

/// <summary>An error answer of an AWS JSON 1.1 service: HTTP status, __type and message.</summary>
public sealed class JsonErrorException : Exception
{
    public JsonErrorException(int status, string type, string message, bool capitalMessage = true) : base(message)
    {
        StatusCode = status;
        Type = type;
        CapitalMessage = capitalMessage;
    }

    public int StatusCode { get; }
    public string Type { get; }
    /// <summary>Secrets Manager's own errors carry "Message"; errors of the AWS front door (signature, throttling) carry "message".</summary>
    public bool CapitalMessage { get; }
}

/// <summary>Secrets Manager's GetSecretValue (AWS JSON 1.1: POST /, X-Amz-Target secretsmanager.GetSecretValue), answered from a tenant's secrets.</summary>
internal static class SecretsManagerOperations
{
    public const string TargetPrefix = "secretsmanager.";
    public const string ContentType = "application/x-amz-json-1.1";

    public static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "GetSecretValue" };

    /// <summary>The JSON answer to <paramref name="operation"/> with <paramref name="body"/>, or a <see cref="JsonErrorException"/>.</summary>
    public static string Handle(string operation, byte[] body, RdsState state, Dictionary<string, string> recorded)
    {
        if (!Known.Contains(operation)) throw new JsonErrorException(400, "UnknownOperationException", $"Operation {operation} is not supported by this double.", capitalMessage: false);
        JsonElement request;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
            request = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new JsonErrorException(400, "SerializationException", "Start of structure or map found where not expected.", capitalMessage: false);
        }
        if (request.ValueKind != JsonValueKind.Object) throw new JsonErrorException(400, "SerializationException", "Start of list found where not expected", capitalMessage: false);
        if (!request.TryGetProperty("SecretId", out JsonElement idElement) || idElement.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(idElement.GetString()))
        {
            throw new JsonErrorException(400, "InvalidParameterException", "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
        }
        string secretId = idElement.GetString()!;
        recorded["SecretId"] = secretId;
        foreach (JsonProperty p in request.EnumerateObject())
        {
            if (p.Name is not ("SecretId" or "VersionId" or "VersionStage")) throw new JsonErrorException(400, "SerializationException", $"Unknown member {p.Name}", capitalMessage: false);
        }

        lock (state.SyncRoot)
        {
            SecretState secret = state.FindSecret(secretId) ?? throw new JsonErrorException(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            switch (secret.Failure)
            {
                case null or "": break;
                case "DecryptionFailure":
                    throw new JsonErrorException(400, "DecryptionFailure", "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
                case "AccessDeniedException":
                    throw new JsonErrorException(400, "AccessDeniedException",
                        $"User: arn:{state.Partition}:iam::{state.AccountId}:user/double-user is not authorized to perform: secretsmanager:GetSecretValue on resource: {secretId} because no identity-based policy allows the secretsmanager:GetSecretValue action");
                case "InvalidRequestException":
                    throw new JsonErrorException(400, "InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");
                default:
                    throw new JsonErrorException(400, secret.Failure, "Failure set in the double's state.");
            }

            string text = secret.SecretString ?? JsonSerializer.Serialize(new Dictionary<string, string?> { ["username"] = secret.Username, ["password"] = secret.Password });
            var answer = new Dictionary<string, object>
            {
                ["ARN"] = state.SecretArn(secret),
                ["Name"] = state.SecretName(secret),
                ["VersionId"] = secret.VersionId,
                ["SecretString"] = text,
                ["VersionStages"] = new[] { "AWSCURRENT" },
                ["CreatedDate"] = new EpochSeconds(secret.CreatedDate),
            };
            return JsonSerializer.Serialize(answer, new JsonSerializerOptions { Converters = { new EpochSecondsConverter() } });
        }
    }

    /// <summary>The error body as the service writes it.</summary>
    public static string Error(JsonErrorException e) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = e.Type, [e.CapitalMessage ? "Message" : "message"] = e.Message });

    /// <summary>A signature failure from the shared verifier, with the type a JSON service gives it.</summary>
    public static JsonErrorException FromSignature(RdsErrorException e) => e.Code switch
    {
        "SignatureDoesNotMatch" => new JsonErrorException(400, "InvalidSignatureException", e.Message),
        "InvalidClientTokenId" => new JsonErrorException(400, "UnrecognizedClientException", "The security token included in the request is invalid.", capitalMessage: false),
        "ExpiredToken" => new JsonErrorException(400, "ExpiredTokenException", e.Message, capitalMessage: false),
        _ => new JsonErrorException(e.StatusCode, e.Code, e.Message, capitalMessage: false),
    };

    private readonly record struct EpochSeconds(DateTimeOffset Time);

    // Secrets Manager writes timestamps as epoch seconds with a fraction (1.523477145713E9 in its examples).
    private sealed class EpochSecondsConverter : System.Text.Json.Serialization.JsonConverter<EpochSeconds>
    {
        public override EpochSeconds Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, EpochSeconds value, JsonSerializerOptions options) =>
            writer.WriteRawValue((value.Time.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture));
    }
}

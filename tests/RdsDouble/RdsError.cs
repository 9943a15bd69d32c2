namespace RdsDouble;

/// <summary>An error answer of the RDS Query API.</summary>
public sealed class RdsErrorException : Exception
{
    public RdsErrorException(int status, string code, string message, bool senderFault = true) : base(message)
    {
        StatusCode = status;
        Code = code;
        SenderFault = senderFault;
    }

    public int StatusCode { get; }
    public string Code { get; }
    public bool SenderFault { get; }

    public static RdsErrorException InvalidParameterValue(string message) => new(400, "InvalidParameterValue", message);
    public static RdsErrorException InvalidParameterCombination(string message) => new(400, "InvalidParameterCombination", message);
    public static RdsErrorException MissingParameter(string name) =>
        new(400, "MissingParameter", $"The request must contain the parameter {name}");
    public static RdsErrorException ClusterNotFound(string id) => new(404, "DBClusterNotFoundFault", $"DBCluster {id} not found.");
    public static RdsErrorException InstanceNotFound(string id) => new(404, "DBInstanceNotFound", $"DBInstance {id} not found.");
    public static RdsErrorException ParameterGroupNotFound(string name) =>
        new(404, "DBParameterGroupNotFound", $"DBClusterParameterGroup not found: {name}");
}

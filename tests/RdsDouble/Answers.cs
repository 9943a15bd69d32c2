namespace RdsDouble;

/// <summary>
/// How the double answers. "full" (the default) gives every field and applies every change at once. "minimal" answers as a
/// correct but terse RDS may: optional fields left out, ModifyDBCluster settings held in PendingModifiedValues until a later
/// describe or a reboot, and parameter group changes visible only after a delay. May be changed while the server runs.
/// </summary>
public sealed class AnswerSettings
{
    private readonly object _gate = new();
    private int _dropAnswers;

    /// <summary>Leave out what the API model marks optional and a terse implementation may omit: parameter metadata
    /// (Source, ApplyType, DataType, AllowedValues, IsModifiable, ApplyMethod, Description), default parameter values,
    /// StorageEncrypted, CertificateDetails, PubliclyAccessible and the instances' IAMDatabaseAuthenticationEnabled.</summary>
    public bool OmitOptionalFields { get; set; }

    /// <summary>How many DescribeDBClusters answers still show a ModifyDBCluster IAM setting in PendingModifiedValues before it
    /// is applied (0: applied at once). A reboot of any member applies it too.</summary>
    public int ClusterModificationDescribes { get; set; }

    /// <summary>How long a ModifyDBClusterParameterGroup change stays invisible (and without effect) after it was accepted.</summary>
    public TimeSpan ParameterChangeDelay { get; set; }

    /// <summary>"full" or "minimal", as given to <see cref="Set"/>; "custom" after other changes.</summary>
    public string Mode { get; private set; } = "full";

    /// <summary>Switches to a named mode: "full" or "minimal" (optionally with its parameter delay).</summary>
    public void Set(string mode, TimeSpan? parameterDelay = null)
    {
        switch (mode)
        {
            case "full":
                OmitOptionalFields = false;
                ClusterModificationDescribes = 0;
                ParameterChangeDelay = parameterDelay ?? TimeSpan.Zero;
                break;
            case "minimal":
                OmitOptionalFields = true;
                ClusterModificationDescribes = 1;
                ParameterChangeDelay = parameterDelay ?? TimeSpan.FromMilliseconds(1500);
                break;
            default:
                throw new ArgumentException($"Unknown answer mode '{mode}': use full or minimal.", nameof(mode));
        }
        Mode = mode;
    }

    /// <summary>The next <paramref name="count"/> changing requests are carried out, then their connection is dropped without an answer.</summary>
    public void DropAnswersAfterApplying(int count)
    {
        lock (_gate) _dropAnswers = Math.Max(0, count);
    }

    internal bool TakeDroppedAnswer()
    {
        lock (_gate)
        {
            if (_dropAnswers <= 0) return false;
            _dropAnswers--;
            return true;
        }
    }
}

/// <summary>A parameter change accepted but not yet visible (see <see cref="AnswerSettings.ParameterChangeDelay"/>).</summary>
public sealed class DelayedParameterChange
{
    public string Name { get; set; } = "";
    public ParameterSetting Setting { get; set; } = new();
    public DateTimeOffset VisibleAt { get; set; }
    public bool NeedsReboot { get; set; }
}

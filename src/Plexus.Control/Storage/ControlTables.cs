namespace Plexus.Control.Storage;

/// <summary>Names of the tables the control service keeps in its <see cref="IControlStore"/>.</summary>
internal static class ControlTables
{
    /// <summary>Node records (<c>plexus.control.NodeInfo</c>) keyed by lower-case hex node id.</summary>
    public const string Nodes = "nodes";

    /// <summary>Job records (<c>plexus.control.JobInfo</c>) keyed by lower-case hex job id.</summary>
    public const string Jobs = "jobs";

    /// <summary>Actor records (<c>plexus.control.ActorInfo</c>) keyed by lower-case hex actor id.</summary>
    public const string Actors = "actors";

    /// <summary>Jobs submitted to the cluster (<c>plexus.control.SubmissionInfo</c>) keyed by submission id.</summary>
    public const string Submissions = "submissions";
}

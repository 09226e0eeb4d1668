namespace Plexus.Control;

/// <summary>A job's state in the job table.</summary>
internal enum JobState
{
    /// <summary>Registered and not yet finished.</summary>
    Running,

    /// <summary>Finished through <see cref="ControlClient.FinishJobAsync"/>.</summary>
    Finished,
}

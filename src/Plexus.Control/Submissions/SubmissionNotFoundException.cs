namespace Plexus.Control.Submissions;

/// <summary>
/// The control service knows no submitted job of this id: it was never submitted to this cluster,
/// or it ended long enough ago that the service forgot it (it keeps the most recent ended ones),
/// or the service keeps its tables in memory and restarted. List the jobs with <c>plexus jobs</c>.
/// An <see cref="InvalidOperationException"/>, as every refusal that depends on the service's state.
/// </summary>
internal sealed class SubmissionNotFoundException : InvalidOperationException
{
    public SubmissionNotFoundException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal static SubmissionNotFoundException For(string submissionId) =>
        new($"No job '{submissionId}' was submitted to this cluster, or it ended long ago and was forgotten; 'plexus jobs' lists the jobs it knows.");
}

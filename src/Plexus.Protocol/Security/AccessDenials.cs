using Plexus.Protocol.Messages;

namespace Plexus.Protocol.Security;

/// <summary>
/// The errors a refused read says, one text wherever it is refused: by the requester's node, or by
/// the requester's own runtime, which never serves another job's object from its table to code not
/// handed the ref (see docs/ARCHITECTURE.md, Isolation between jobs).
/// </summary>
internal static class AccessDenials
{
    /// <summary>Job <paramref name="requester"/> was not handed object <paramref name="id"/>.</summary>
    public static ErrorInfo ObjectRead(JobId requester, ObjectId id) => ErrorInfo.Of(ErrorKind.ObjectAccessDenied,
        $"Job {requester} may not read object {id}: it belongs to job {id.Task.Job}, which did not hand it over " +
        "(an id read from a listing or a log, or guessed, is not a ref). Pass the ref itself from that job: in the arguments of a call " +
        "to an actor of the reading job, or as the result of a call to that job's actor.");
}

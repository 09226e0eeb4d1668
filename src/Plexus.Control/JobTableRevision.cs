namespace Plexus.Control;

/// <summary>
/// How far a reader has seen the job table: a revision of one incarnation of the table. The
/// service lists only the jobs changed after it, or every job when the incarnation is not its own
/// (it restarted and numbers its changes afresh).
/// </summary>
/// <param name="Incarnation">The table's incarnation, random per start of the service.</param>
/// <param name="Revision">The table's revision within that incarnation.</param>
internal readonly record struct JobTableRevision(ulong Incarnation, ulong Revision);

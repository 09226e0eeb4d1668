using System.Runtime.InteropServices;

namespace Plexus;

/// <summary>
/// The identity of a task: its job plus a 64-bit path derived from the parent task and the parent's
/// submission counter. Re-running the same program (or replaying lineage) re-creates the same
/// <see cref="Path"/> values, while the random <see cref="Job"/> keeps two jobs' ids apart.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct TaskId(JobId Job, ulong Path)
{
    /// <summary>The path of a job's root task (the driver program itself).</summary>
    public const ulong RootPath = 1;

    /// <summary>The root task of <paramref name="job"/>.</summary>
    public static TaskId Root(JobId job) => new(job, RootPath);

    /// <summary>The id of the <paramref name="counter"/>-th task submitted by this task (counting from 1).</summary>
    public TaskId Child(ulong counter) => new(Job, DerivedPath.Mix(Path, counter));

    /// <inheritdoc />
    public override string ToString() => $"{Job}{Path:x16}";
}

using System.Runtime.InteropServices;

namespace Plexus;

/// <summary>
/// The identity of an object: the task that created it plus an index. Return values of a task use
/// indexes 1..n; objects a task creates with Put use <see cref="PutFlag"/> | the task's put counter.
/// Both are deterministic, so re-executing a task re-creates the same object ids.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct ObjectId(TaskId Task, uint Index)
{
    /// <summary>The bit that marks objects created by Put rather than returned by a task.</summary>
    public const uint PutFlag = 0x8000_0000;

    /// <summary>The id of return value <paramref name="returnIndex"/> (counting from 0) of <paramref name="task"/>.</summary>
    public static ObjectId ForReturn(TaskId task, int returnIndex) => new(task, (uint)returnIndex + 1);

    /// <summary>The id of the <paramref name="putCounter"/>-th object put by <paramref name="task"/> (counting from 1).</summary>
    public static ObjectId ForPut(TaskId task, uint putCounter) => new(task, PutFlag | putCounter);

    /// <summary>True when the object was created by Put.</summary>
    public bool IsPut => (Index & PutFlag) != 0;

    /// <inheritdoc />
    public override string ToString() => $"{Task}{Index:x8}";
}

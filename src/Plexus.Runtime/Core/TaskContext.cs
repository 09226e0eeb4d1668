using Microsoft.Extensions.Logging;

namespace Plexus.Core;

/// <summary>
/// The task whose code is running: it names the tasks and objects that code creates, by
/// counting its submissions and puts, and reports when it waits on futures, so its worker can
/// lend its CPU out meanwhile.
/// </summary>
internal sealed class TaskContext(TaskId id, Action<TaskContext, int>? onWaitChanged)
{
    private static readonly AsyncLocal<TaskContext?> Ambient = new();

    // Tasks submitted so far by this task; the next child's id derives from it.
    private long _submitted;
    // Objects put so far by this task.
    private long _put;

    public TaskId Id { get; } = id;

    /// <summary>
    /// The job this code acts for: its task's, or for an actor's constructor and methods the
    /// actor's own (a call's id is of the caller's job). What the code makes (objects, tasks,
    /// actors) is of this job, and its objects and actors are this code's to read, call and hand to
    /// other jobs (see docs/ARCHITECTURE.md, Isolation between jobs).
    /// </summary>
    public JobId ActingJob { get; init; } = id.Job;

    /// <summary>The function or actor method running; null for the driver's root.</summary>
    public Protocol.Messages.FunctionDescriptor? Function { get; init; }

    /// <summary>The name the submitter gave the task or call, if any: it names it rather than its function.</summary>
    public string? Name { get; init; }

    /// <summary>What task logs name the running code by; computed when asked, so tasks that do not log never pay for it.</summary>
    public string? FunctionName => Name ?? Function?.DisplayName;

    /// <summary>
    /// The lowest level of what this code logs that is kept: its job's, from its task's or actor's
    /// spec; null for the driver's root, which logs at its runtime's <see cref="CoreRuntime.TaskLogLevel"/>.
    /// </summary>
    public LogLevel? TaskLogLevel { get; init; }

    /// <summary>
    /// The namespace of this code's job, from its task's or actor's spec: where it names and looks
    /// up actors when it names no namespace. Null for that job's anonymous one, and for the
    /// driver's root, which uses its runtime's <see cref="CoreRuntime.Namespace"/>.
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>The actor whose constructor or method this is; null for a task.</summary>
    public TaskId? Actor { get; init; }

    /// <summary>The buffers the running task or actor call writes its returns into; null outside one (an actor's constructor).</summary>
    public Worker.ReturnBuffers? ReturnBuffers { get; set; }

    // The calls this task makes to actors, made on its first call (or shared: see CallOrder's init).
    private ActorCallOrder? _calls;

    /// <summary>
    /// Numbers this code's actor calls so each actor runs them in order. Per task by default; the
    /// calls of one actor's methods share their actor's, so the actor is one caller.
    /// </summary>
    public ActorCallOrder Calls
    {
        get => _calls ?? Interlocked.CompareExchange(ref _calls, new ActorCallOrder(Id), null) ?? _calls;
        init => _calls = value;
    }

    /// <summary>The CPUs the task holds while it runs, given back while it waits.</summary>
    public double Cpus { get; init; }

    /// <summary>The task running on this logical thread of execution, if any.</summary>
    public static TaskContext? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    // Marks the derivation step that makes a later generation's ids differ; counters never reach it.
    private const ulong GenerationMark = 1UL << 63;
    // Marks the step from a call of another job into the actor's job (see IdBase); counters never reach it.
    private const ulong ActingJobMark = 1UL << 62;

    /// <summary>
    /// Which run of the task's lineage this is (<see cref="Protocol.Messages.TaskSpec.Generation"/>):
    /// 0 for the first; a run to make a lost object again names its children and puts apart from
    /// those of earlier runs, whose executor may still live and own them.
    /// </summary>
    public int Generation { get; init; }

    // What child and put ids derive from: the task's id, or for a later generation a step below it;
    // in an actor's call from another job, a step into the actor's job, so what the call makes is
    // the actor's job's (its code's) to read, call and run in that job's package.
    private TaskId IdBase
    {
        get
        {
            var own = Generation == 0 ? Id : Id.Child(GenerationMark | (uint)Generation);
            return own.Job == ActingJob ? own : IntoActingJob(own);
        }
    }

    // The call's path mixed with the caller's job: every job numbers its tasks from its root alike,
    // so two jobs' calls can share a path, and must not make the same ids in the actor's job.
    private TaskId IntoActingJob(TaskId call) =>
        new(ActingJob, call.Child(ActingJobMark).Child(call.Job.High).Child(call.Job.Low).Path);

    public TaskId NextChildTaskId() => IdBase.Child((ulong)Interlocked.Increment(ref _submitted));

    public ObjectId NextPutId() => ObjectId.ForPut(IdBase, (uint)Interlocked.Increment(ref _put));

    /// <summary>
    /// Futures this task is awaiting right now; it holds no CPU while above zero. Kept by the
    /// worker's executor, under its lock.
    /// </summary>
    public int Waits { get; set; }

    /// <summary>Called before awaiting a future that is not ready.</summary>
    public void EnterWait() => onWaitChanged?.Invoke(this, 1);

    /// <summary>Called once the awaited future is ready.</summary>
    public void ExitWait() => onWaitChanged?.Invoke(this, -1);

    // Made when the task first asks for its token or is cancelled: most tasks never do either.
    private CancellationTokenSource? _cancellation;

    /// <summary>The task's token (its <c>CancellationToken</c> parameter): cancelled when its owner cancels the task.</summary>
    public CancellationToken Cancellation => CancellationSource.Token;

    /// <summary>Whether the task was cancelled.</summary>
    public bool IsCancelled => _cancellation?.IsCancellationRequested == true;

    /// <summary>Cancels the task's token; the task stops if it observes it.</summary>
    public void Cancel() => CancellationSource.Cancel();

    private CancellationTokenSource CancellationSource =>
        _cancellation ?? Interlocked.CompareExchange(ref _cancellation, new CancellationTokenSource(), null) ?? _cancellation;
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plexus.Binding;
using Plexus.Core.References;
using Plexus.Logging;
using Plexus.Protocol.Framing;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>
/// The runtime every driver and worker embeds: it owns the objects its tasks create, resolves a
/// task's arguments before handing it to the node, and fetches objects owned elsewhere from their
/// owners. All traffic goes through its node; messages arrive through <see cref="Deliver"/>.
/// </summary>
internal sealed partial class CoreRuntime : RuntimeCore
{
    private readonly Action<Message> _send;
    // What this runtime submitted and has not heard the end of, and the lineage of what it made.
    private readonly OwnedTasks _tasks = new();
    // Set once the link to the node is gone; every later call fails with it.
    private volatile Exception? _closed;

    public CoreRuntime(
        JobId job, ProcessAddress address, int inlineThreshold, Action<Message> send, Func<PendingRequests, Action<Message>, IStoreAccess> store,
        Protocol.Security.CapabilityKey capabilities)
    {
        Job = job;
        Capabilities = capabilities;
        Address = address;
        NodeAddress = ProcessAddress.NodeOf(address.Node);
        InlineThreshold = inlineThreshold;
        _send = send;
        Requests = new PendingRequests();
        Store = store(Requests, Send);
        References = new ReferenceTable(address);
        RootContext = new TaskContext(TaskId.Root(job), onWaitChanged: null);
        _idleCollector = new IdleCollector(this);
        _pendingArgs = new PendingArgumentWatch(Send, TimeProvider.System, PendingArgumentWatch.DefaultThreshold);
        ValueOptions = new Serialization.RuntimeBoundOptions(Serialization.ValueCodec.Options, this);
    }

    /// <summary>The value codec's options bound to this runtime: futures it decodes are its own.</summary>
    public MessagePack.MessagePackSerializerOptions ValueOptions { get; }

    // Frees what forgotten handles keep once the process goes quiet.
    private readonly IdleCollector _idleCollector;

    // Tells the node of tasks that wait long for their arguments (the state API's pending args).
    private readonly PendingArgumentWatch _pendingArgs;


    public override JobId Job { get; }

    public override ProcessAddress Address { get; }

    /// <summary>The address of this process's node: the target of what is for the node itself.</summary>
    public ProcessAddress NodeAddress { get; }

    /// <summary>Values up to this many bytes travel inline; larger ones go to the store.</summary>
    public int InlineThreshold { get; }

    public IStoreAccess Store { get; }

    public PendingRequests Requests { get; }

    /// <summary>The context of code that runs outside any task: the driver program itself.</summary>
    public TaskContext RootContext { get; }

    public TaskContext CurrentContext => TaskContext.Current ?? RootContext;

    // Where user code's log entries go (PlexusRuntime.LoggerFactory); set once as the process starts.
    private ILoggerFactory _loggers = NullLoggerFactory.Instance;
    // A driver's: writes the task log entries its jobs' workers send it; null in a worker.
    private TaskLogWriter? _taskLogs;

    public override ILoggerFactory LoggerFactory => _loggers;

    /// <summary>A worker's: user code logs through <paramref name="loggers"/> (the worker's file and its job's driver).</summary>
    public void UseTaskLogging(ILoggerFactory loggers) => _loggers = loggers;

    /// <summary>
    /// The lowest level of task log entries this runtime's tasks and actors ask for when made
    /// outside a task (a driver's <c>PlexusOptions.TaskLogLevel</c>, set by <see cref="UseDriverLogging"/>).
    /// Default: Information.
    /// </summary>
    public LogLevel TaskLogLevel { get; set; } = LogLevel.Information;

    // What a task or actor made now carries: the level of the code making it (its job's), else this runtime's.
    private LogLevel SubmittedTaskLogLevel => TaskContext.Current?.TaskLogLevel ?? TaskLogLevel;

    /// <summary>
    /// The namespace of this runtime's job for code outside a task (a driver's
    /// <c>PlexusOptions.Namespace</c>); null for the job's anonymous one. Default: null.
    /// </summary>
    public string? Namespace { get; set; }

    // What a task or actor made now carries: the namespace of the code making it (its job's: null
    // for the anonymous one of that job, which is the job of what it makes too), else this runtime's.
    private string? SubmittedNamespace => TaskContext.Current is { } running ? running.Namespace : Namespace;

    // Where the code running now names and looks up actors when it names no namespace: its job's.
    private string CurrentNamespace => SubmittedNamespace ?? ActorNamespaces.AnonymousOf(CurrentContext.ActingJob);

    /// <summary>
    /// A driver's: the entries its jobs' workers send are written through <paramref name="program"/>
    /// (the program's own logging), else on the console, from <paramref name="minimum"/> up; code in
    /// the driver logs through <paramref name="program"/> too, else to that same console.
    /// </summary>
    public void UseDriverLogging(ILoggerFactory? program, LogLevel minimum)
    {
        TaskLogLevel = minimum;
        _taskLogs = new TaskLogWriter(program, minimum, Address.Node);
        _loggers = program ?? new TaskLoggerFactory(minimum, _taskLogs, Job, TimeProvider.System);
    }

    /// <summary>Runs tasks the node hands to this process (workers only).</summary>
    public Action<TaskSpec>? OnExecute { get; set; }

    /// <summary>A worker's: the node cancels a task it handed this worker (see <see cref="CancelTask"/>).</summary>
    public Action<CancelTask>? OnCancel { get; set; }

    /// <summary>Called when the node tells this process to exit (workers only).</summary>
    public Action? OnShutdown { get; set; }

    /// <summary>Called when the node asks this idle worker to exit if that loses nothing (workers only; see <see cref="HoldsNothing"/>).</summary>
    public Action? OnStopIfIdle { get; set; }

    /// <summary>
    /// Whether this runtime owns and borrows no object (nor a freed one whose value is still on its
    /// way) and awaits no task or call it submitted: its process could end and nobody would lose a
    /// value, a borrow or a result. Lineage hangs off owned objects, so none is kept either.
    /// </summary>
    public bool HoldsNothing => References.Count == 0 && _tasks.Unfinished.Count == 0;

    /// <summary>Sends a message for the node itself (a store, scheduling or actor request).</summary>
    public void Send(Message message) => SendTo(NodeAddress, message);

    /// <summary>
    /// Sends a message to another runtime (or the node), routed on its header. Throws
    /// <see cref="ObjectDisposedException"/> once the runtime is shut down, or its link to its node
    /// closed (which shuts it down a moment later, once the receive loop sees it and, for a driver
    /// attached to a node of a cluster, once it learnt why the node went).
    /// </summary>
    public void SendTo(ProcessAddress target, Message message)
    {
        if (_closed is { } reason)
        {
            throw ShutDown(reason);
        }

        try
        {
            _send(Addressed(target, message));
        }
        catch (ConnectionClosedException closed)
        {
            throw ShutDown(closed);
        }
    }

    /// <summary>Sets the header of a message this process sends to <paramref name="target"/>; it speaks for itself.</summary>
    public T Addressed<T>(ProcessAddress target, T message)
        where T : Message
    {
        message.Target = target;
        message.Source = Address;
        return message;
    }

    /// <summary>Whether the runtime is shut down (<see cref="Close"/> was called).</summary>
    public bool IsClosed => _closed is not null;

    public override void ThrowIfClosed()
    {
        if (_closed is { } reason)
        {
            throw ShutDown(reason);
        }
    }

    /// <summary>Handles a message from the node. Runs on the receiving thread: never blocks.</summary>
    public void Deliver(Message message)
    {
        switch (message)
        {
            case TaskFinished finished:
                OnTaskFinished(finished);
                break;
            case IReply:
                Requests.Complete(message.RequestId, message);
                break;
            case GetObject get:
                _ = AnswerGetAsync(get);
                break;
            case ArgumentsLost lost:
                OnArgumentsLost(lost);
                break;
            case RefUpdate update:
                OnRefUpdate(update);
                break;
            case ProcessExited exited:
                OnProcessExited(exited);
                OnActorMessage?.Invoke(exited);
                break;
            case CollectGarbage collect:
                OnCollectGarbage(collect);
                break;
            case DescribeObjects describe:
                OnDescribeObjects(describe);
                break;
            case SummarizeReferences summarize:
                OnSummarizeReferences(summarize);
                break;
            case HostActor or CallActor or Protocol.Messages.KillActor:
                OnActorMessage?.Invoke(message);
                break;
            case ExecuteTask execute:
                OnExecute?.Invoke(execute.Spec);
                break;
            case CancelTask cancel:
                OnCancel?.Invoke(cancel);
                break;
            case Shutdown:
                OnShutdown?.Invoke();
                break;
            case StopIfIdle:
                OnStopIfIdle?.Invoke();
                break;
            case WorkerOutput output:
                WorkerOutputs.Write(output);
                break;
            case TaskLogs logs:
                _taskLogs?.Write(logs);
                break;
            default:
                break;
        }
    }


    // The reason says what happened ("was disposed", "the connection closed"): it is the message.
    private static ObjectDisposedException ShutDown(Exception reason) => new($"The Plexus runtime is shut down: {reason.Message}", reason);

    /// <summary>Fails everything still waiting: the node link is gone or the runtime is disposed.</summary>
    public void Close(Exception reason)
    {
        _closed = reason;
        _idleCollector.Dispose();
        _pendingArgs.Dispose();
        Requests.FailAll(ShutDown(reason));
        foreach (var task in _tasks.Unfinished)
        {
            FailTask(task, Errors.ShutDown($"The runtime shut down before task {task} finished: {reason.Message}"));
        }
    }
}

using System.Collections.Concurrent;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>
/// The runtime every driver and worker embeds: it owns the objects its tasks create, resolves a
/// task's arguments before handing it to the node, and fetches objects owned elsewhere from their
/// owners. All traffic goes through its node; messages arrive through <see cref="Deliver"/>.
/// </summary>
internal sealed class CoreRuntime
{
    private readonly Action<Message> _send;
    // Values of objects owned by other runtimes, fetched once and kept until freed here.
    private readonly ConcurrentDictionary<ObjectId, Task<ObjectValue>> _borrowed = new();
    // Tasks submitted and not yet finished, with what to do when they finish.
    private readonly ConcurrentDictionary<TaskId, SubmittedTask> _submitted = new();
    // Set once the link to the node is gone; every later call fails with it.
    private volatile Exception? _closed;

    public CoreRuntime(JobId job, ProcessAddress address, int inlineThreshold, Action<Message> send, Func<PendingRequests, Action<Message>, IStoreAccess> store)
    {
        Job = job;
        Address = address;
        InlineThreshold = inlineThreshold;
        _send = send;
        Requests = new PendingRequests();
        Store = store(Requests, Send);
        RootContext = new TaskContext(TaskId.Root(job), onWaitChanged: null);
    }

    public JobId Job { get; }

    public ProcessAddress Address { get; }

    /// <summary>Values up to this many bytes travel inline; larger ones go to the store.</summary>
    public int InlineThreshold { get; }

    public IStoreAccess Store { get; }

    public PendingRequests Requests { get; }

    public OwnershipTable Owned { get; } = new();

    /// <summary>The context of code that runs outside any task: the driver program itself.</summary>
    public TaskContext RootContext { get; }

    public TaskContext CurrentContext => TaskContext.Current ?? RootContext;

    /// <summary>Runs tasks the node hands to this process (workers only).</summary>
    public Action<TaskSpec>? OnExecute { get; set; }

    /// <summary>Called when the node tells this process to exit (workers only).</summary>
    public Action? OnShutdown { get; set; }

    public void Send(Message message)
    {
        if (_closed is { } reason)
        {
            throw new ObjectDisposedException("The Plexus runtime is shut down.", reason);
        }

        _send(message);
    }

    public void ThrowIfClosed()
    {
        if (_closed is { } reason)
        {
            throw new ObjectDisposedException("The Plexus runtime is shut down.", reason);
        }
    }

    /// <summary>
    /// Submits a task and returns the ids of its return objects, which this runtime owns. Arguments
    /// that are futures are resolved first (small values are inlined into the task), so the task
    /// reaches a worker only when it can run.
    /// </summary>
    public ObjectId[] Submit(FunctionDescriptor function, TaskArgument[] args, int returnCount, TaskOptions options)
    {
        ThrowIfClosed();
        args = PlaceEncoded(args);
        var taskId = CurrentContext.NextChildTaskId();
        var returns = new ObjectId[returnCount];
        var entries = new OwnedObject[returnCount];
        for (var i = 0; i < returnCount; i++)
        {
            returns[i] = ObjectId.ForReturn(taskId, i);
            entries[i] = Owned.AddPending(returns[i], lineage: null);
        }

        _submitted[taskId] = new SubmittedTask(returnCount, TransientArgs(args));
        var resolved = new ObjectValue[args.Length];
        var allReady = true;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].Value is { } value)
            {
                resolved[i] = value;
            }
            else if (TryResolveNow(args[i].RefId, args[i].RefOwner, out var ready))
            {
                resolved[i] = ready;
            }
            else
            {
                allReady = false;
            }
        }

        if (allReady)
        {
            SubmitResolved(taskId, function, resolved, returnCount, options, entries);
        }
        else
        {
            _ = ResolveThenSubmitAsync(taskId, function, args, resolved, returnCount, options, entries);
        }

        return returns;
    }

    /// <summary>The most inline bytes one message carries; further values go through the store.</summary>
    public const int InlineBudget = 8 * 1024 * 1024;

    // Small values travel inline in the task, up to InlineBudget in all; the rest become transient
    // store objects. Done after every argument has encoded, so a refused argument leaves nothing behind.
    private TaskArgument[] PlaceEncoded(TaskArgument[] args)
    {
        var placed = new TaskArgument[args.Length];
        long inlineBytes = 0;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i].Encoded is not { } encoded)
                {
                    placed[i] = args[i];
                }
                else if (encoded.Length <= InlineThreshold && inlineBytes + encoded.Length <= InlineBudget)
                {
                    inlineBytes += encoded.Length;
                    placed[i] = TaskArgument.OfValue(ObjectValue.InlineValue(default, encoded.Format, encoded.ToArray()));
                }
                else
                {
                    placed[i] = TaskArgument.OfTransientPut(Put(encoded), Address);
                }
            }
        }
        catch
        {
            foreach (var id in TransientArgs(placed) ?? [])
            {
                Free(id, Address);
            }

            throw;
        }

        return placed;
    }

    private static ObjectId[]? TransientArgs(TaskArgument[] args)
    {
        List<ObjectId>? transient = null;
        foreach (var arg in args)
        {
            if (arg.IsTransient)
            {
                (transient ??= []).Add(arg.RefId);
            }
        }

        return transient?.ToArray();
    }

    private async Task ResolveThenSubmitAsync(
        TaskId taskId, FunctionDescriptor function, TaskArgument[] args, ObjectValue[] resolved,
        int returnCount, TaskOptions options, OwnedObject[] entries)
    {
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                resolved[i] ??= await ResolveAsync(args[i].RefId, args[i].RefOwner).ConfigureAwait(false);
            }

            SubmitResolved(taskId, function, resolved, returnCount, options, entries);
        }
        catch (ObjectDisposedException e)
        {
            // The runtime shut down while arguments were pending.
            FailTask(taskId, Errors.ShutDown(e.Message));
        }
    }

    private void SubmitResolved(
        TaskId taskId, FunctionDescriptor function, ObjectValue[] args, int returnCount, TaskOptions options, OwnedObject[] entries)
    {
        // A failed argument fails the task without running it: every awaiter sees the root cause.
        foreach (var arg in args)
        {
            if (arg.Location == ValueLocation.Failed)
            {
                FailTask(taskId, arg.Error!);
                return;
            }
        }

        var spec = new TaskSpec
        {
            Id = taskId,
            Owner = Address,
            Function = function,
            Args = args,
            ReturnCount = returnCount,
            MaxRetries = options.MaxRetries,
            Cpus = options.Cpus,
            Name = options.Name,
        };
        foreach (var entry in entries)
        {
            entry.Lineage = spec;
        }

        Send(new SubmitTask { Spec = spec });
    }

    private bool TryResolveNow(ObjectId id, ProcessAddress owner, out ObjectValue value)
    {
        var pending = ResolveAsync(id, owner);
        if (pending.IsCompletedSuccessfully)
        {
            value = pending.Result;
            return true;
        }

        value = null!;
        return false;
    }

    /// <summary>The value of an object (inline, in the store, or its failure) once it exists.</summary>
    public Task<ObjectValue> ResolveAsync(ObjectId id, ProcessAddress owner)
    {
        if (owner == Address)
        {
            return Owned.TryGet(id, out var entry)
                ? entry.Value
                : Task.FromResult(Errors.Freed(id));
        }

        return _borrowed.GetOrAdd(id, static (id, state) => state.Self.FetchAsync(id, state.Owner), (Self: this, Owner: owner));
    }

    private async Task<ObjectValue> FetchAsync(ObjectId id, ProcessAddress owner)
    {
        var (requestId, reply) = Requests.Open();
        Send(new GetObject { RequestId = requestId, Object = id, Requester = Address, Owner = owner });
        return ((ObjectReply)await reply.ConfigureAwait(false)).Value;
    }

    /// <summary>
    /// Places an object's value: inline when small (unless <paramref name="forceStore"/>), else
    /// written once into the store (create, write, seal) on behalf of <paramref name="owner"/>.
    /// </summary>
    public async ValueTask<ObjectValue> StoreAsync(ObjectId id, EncodedValue encoded, ProcessAddress owner, bool forceStore = false)
    {
        if (encoded.Length <= InlineThreshold && !forceStore)
        {
            return ObjectValue.InlineValue(id, encoded.Format, encoded.ToArray());
        }

        var offset = await Store.CreateAsync(id, encoded.Length, owner).ConfigureAwait(false);
        encoded.CopyTo(Store.Arena, offset);
        var value = ObjectValue.StoredValue(id, encoded.Format, offset, encoded.Length);
        Store.Seal(id, value);
        return value;
    }

    /// <summary>
    /// Creates an object owned by this runtime from an encoded value and returns its id. A full
    /// store throws <see cref="ObjectStoreFullException"/> here when that is known at once, else
    /// the object fails with it.
    /// </summary>
    public ObjectId Put(EncodedValue encoded)
    {
        ThrowIfClosed();
        var id = CurrentContext.NextPutId();
        Owned.AddPending(id, lineage: null);
        var stored = StoreAsync(id, encoded, Address);
        if (stored.IsCompleted)
        {
            try
            {
                ResolveOwned(stored.Result);
            }
            catch
            {
                Owned.Free(id);
                throw;
            }
        }
        else
        {
            _ = ResolveWhenStoredAsync(id, stored);
        }

        return id;
    }

    private async Task ResolveWhenStoredAsync(ObjectId id, ValueTask<ObjectValue> stored)
    {
        try
        {
            ResolveOwned(await stored.ConfigureAwait(false));
        }
        catch (Exception e)
        {
            ResolveOwned(ObjectValue.FailedValue(id, Errors.FromException(e, taskName: null)));
        }
    }

    /// <summary>Drops this runtime's interest in an object; an owner frees its store copy.</summary>
    public void Free(ObjectId id, ProcessAddress owner)
    {
        if (owner != Address)
        {
            _borrowed.TryRemove(id, out _);
            return;
        }

        // A pending object stays in the table, marked, until its value arrives (see ResolveOwned).
        if (Owned.Free(id) is { Location: ValueLocation.Stored } stored && _closed is null)
        {
            Store.Free([stored.Id]);
        }
    }

    // Records a value for an owned object; a value that arrives for an object freed while
    // pending is dropped, store copy included, and its waiters learn it was freed.
    private void ResolveOwned(ObjectValue value)
    {
        if (Owned.Resolve(value) is { Location: ValueLocation.Stored } orphan && _closed is null)
        {
            Store.Free([orphan.Id]);
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
            case ObjectReply reply:
                Requests.Complete(reply.RequestId, reply);
                break;
            case CreateReply reply:
                Requests.Complete(reply.RequestId, reply);
                break;
            case PinReply reply:
                Requests.Complete(reply.RequestId, reply);
                break;
            case GetObject get:
                _ = AnswerGetAsync(get);
                break;
            case ExecuteTask execute:
                OnExecute?.Invoke(execute.Spec);
                break;
            case Shutdown:
                OnShutdown?.Invoke();
                break;
            default:
                break;
        }
    }

    private void OnTaskFinished(TaskFinished finished)
    {
        if (finished.Error is { } error)
        {
            FailTask(finished.Task, error);
            return;
        }

        if (_submitted.TryRemove(finished.Task, out var submitted))
        {
            FreeTransientArgs(submitted);
        }

        foreach (var value in finished.Returns)
        {
            ResolveOwned(value);
        }
    }

    private void FailTask(TaskId task, ErrorInfo error)
    {
        var returnCount = 1;
        if (_submitted.TryRemove(task, out var submitted))
        {
            returnCount = submitted.ReturnCount;
            FreeTransientArgs(submitted);
        }

        for (var i = 0; i < returnCount; i++)
        {
            var id = ObjectId.ForReturn(task, i);
            ResolveOwned(ObjectValue.FailedValue(id, error));
        }
    }

    // The node re-runs a task after a worker crash before the owner hears of it, so once the owner
    // hears that the task finished, nothing can need its transient arguments again.
    private void FreeTransientArgs(SubmittedTask submitted)
    {
        foreach (var id in submitted.TransientArgs ?? [])
        {
            Free(id, Address);
        }
    }

    private async Task AnswerGetAsync(GetObject get)
    {
        var value = Owned.TryGet(get.Object, out var entry)
            ? await entry.Value.ConfigureAwait(false)
            : Errors.Freed(get.Object);
        // A borrower must not read the store copy of an object freed meanwhile: it is gone.
        if (_closed is null)
        {
            _send(new ObjectReply { RequestId = get.RequestId, Requester = get.Requester, Value = value });
        }
    }

    /// <summary>Fails everything still waiting: the node link is gone or the runtime is disposed.</summary>
    public void Close(Exception reason)
    {
        _closed = reason;
        Requests.FailAll(new ObjectDisposedException("The Plexus runtime is shut down.", reason));
        foreach (var task in _submitted.Keys)
        {
            FailTask(task, Errors.ShutDown($"The runtime shut down before task {task} finished: {reason.Message}"));
        }
    }
}

/// <summary>A task this runtime submitted: how many objects it returns, and the values put for it alone.</summary>
internal sealed record SubmittedTask(int ReturnCount, ObjectId[]? TransientArgs);

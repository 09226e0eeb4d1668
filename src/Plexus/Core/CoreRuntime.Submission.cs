using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>Submitting tasks: arguments placed and resolved, results recorded when they finish.</summary>
internal sealed partial class CoreRuntime
{
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
}

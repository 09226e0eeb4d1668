using Plexus.Core.References;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>Submitting tasks: arguments placed and resolved, results recorded when they finish.</summary>
internal sealed partial class CoreRuntime
{
    /// <summary>
    /// Submits a task and returns the ids of its return objects, which this runtime owns. Arguments
    /// that are futures are resolved first (small values are inlined into the task), so the task
    /// reaches a worker only when it can run. Each of <paramref name="cancelledBy"/> cancels the
    /// task (one cancelled already: before it is sent).
    /// </summary>
    public ObjectId[] Submit(
        FunctionDescriptor function, TaskArgument[] args, TaskReturns returns, TaskOptions options, TaskId? actorId = null, ObjectRef? alsoHolds = null, ulong actorHome = 0,
        IReadOnlyList<CancellationToken>? cancelledBy = null, Protocol.Security.CapabilityTag actorCapability = default)
    {
        ThrowIfClosed();
        var given = args;
        var held = new List<NestedRef>();
        args = PlaceEncoded(args, held);
        if (alsoHolds is not null)
        {
            // An actor's anchor: the actor lives at least until this call finishes.
            held.Add(new NestedRef(alsoHolds.Id, alsoHolds.Owner));
        }

        // Numbered only once nothing can fail: a number never sent would hold the caller's later calls back.
        ActorTarget? actor = actorId is { } calledActor ? NextCall(calledActor, actorHome, actorCapability) : null;
        foreach (var arg in args)
        {
            if (arg.Value is null)
            {
                held.Add(new NestedRef(arg.RefId, arg.RefOwner));
            }
        }

        // The task references its arguments (and the refs inside them) until it finishes.
        References.AddPendingTask(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(held));
        // Only now may the caller's handles (held by the arguments) be collected.
        GC.KeepAlive(given);
        GC.KeepAlive(alsoHolds);
        var taskId = CurrentContext.NextChildTaskId();
        var ids = new ObjectId[returns.Count];
        var callSite = CallSite();
        for (var i = 0; i < returns.Count; i++)
        {
            ids[i] = ObjectId.ForReturn(taskId, i);
            References.AddOwned(ids[i], handles: 1, pendingTasks: 0, callSite);
        }

        _tasks.Add(taskId, new SubmittedTask(returns.Count, [.. held], Parent: CurrentContext.Id, IsActorCall: actor is not null));
        foreach (var token in cancelledBy ?? [])
        {
            CancelOn(taskId, token);
        }

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
            SubmitResolved(taskId, function, resolved, returns, options, actor);
        }
        else
        {
            _ = ResolveThenSubmitAsync(taskId, function, args, resolved, returns, options, actor);
        }

        return ids;
    }

    /// <summary>The most inline bytes one message carries; further values go through the store.</summary>
    public const int InlineBudget = 8 * 1024 * 1024;

    // Small values travel inline in the task, up to InlineBudget in all; the rest become store
    // objects that only this task references (freed when it finishes). Done after every argument
    // has encoded, so a refused argument leaves nothing behind. `held` gets the refs the task
    // references: the refs inside inline values, and the objects put for it. A future the running
    // code may not read (MayRead) becomes its refusal, which fails the task.
    private TaskArgument[] PlaceEncoded(TaskArgument[] args, List<NestedRef> held)
    {
        var placed = new TaskArgument[args.Length];
        long inlineBytes = 0;
        var puts = new List<ObjectId>();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i].Handle is { } handle && !MayRead(handle))
                {
                    // Another job's object this code was not handed: the task fails as the read would.
                    placed[i] = TaskArgument.OfValue(Refused(handle.Id));
                }
                else if (args[i].Encoded is not { } encoded)
                {
                    placed[i] = args[i];
                }
                else if (encoded.Length <= InlineThreshold && inlineBytes + encoded.Length <= InlineBudget)
                {
                    inlineBytes += encoded.Length;
                    placed[i] = TaskArgument.OfValue(ObjectValue.InlineValue(default, encoded.Format, encoded.ToArray()));
                    held.AddRange(encoded.Nested ?? []);
                }
                else
                {
                    var id = PutOwned(encoded, handles: 0);
                    puts.Add(id);
                    placed[i] = TaskArgument.OfRef(id, Address);
                }
            }
        }
        catch
        {
            // Nothing references the objects put so far: they go.
            var effects = new RefEffects();
            foreach (var id in puts)
            {
                References.ReleaseIfUnreferenced(id, effects);
            }

            Apply(effects);
            throw;
        }

        return placed;
    }

    private async Task ResolveThenSubmitAsync(
        TaskId taskId, FunctionDescriptor function, TaskArgument[] args, ObjectValue[] resolved,
        TaskReturns returns, TaskOptions options, ActorTarget? actor)
    {
        var waiting = _pendingArgs.Add(taskId, options.Name ?? function.DisplayName, [.. args.Where((_, i) => resolved[i] is null).Select(a => a.RefId)]);
        try
        {
            try
            {
                for (var i = 0; i < args.Length; i++)
                {
                    resolved[i] ??= await ResolveAsync(args[i].RefId, args[i].RefOwner).ConfigureAwait(false);
                }
            }
            finally
            {
                // Before the task leaves: a note being sent is sent first.
                _pendingArgs.Resolved(waiting);
            }

            SubmitResolved(taskId, function, resolved, returns, options, actor);
        }
        catch (ObjectDisposedException e)
        {
            // The runtime shut down while arguments were pending.
            FailTask(taskId, Errors.ShutDown(e.Message));
        }
    }

    private void SubmitResolved(
        TaskId taskId, FunctionDescriptor function, ObjectValue[] args, TaskReturns returns, TaskOptions options, ActorTarget? actor)
    {
        // A failed argument fails the task without running it: every awaiter sees the root cause.
        var failed = Array.Find(args, a => a.Location == ValueLocation.Failed);
        if (failed is not null)
        {
            FailTask(taskId, failed.Error!);
        }

        if (actor is { } target)
        {
            // Sent even when cancelled, so the calls after it move on.
            var call = new ActorCall
            {
                Id = taskId, Actor = target.Actor, Home = target.Home, Caller = Address, Scope = target.Order.Scope, Sequence = target.Sequence,
                Method = function, Args = failed is null ? args : [], Name = options.Name, Cancelled = failed is not null,
                CallerJob = target.CallerJob, Capability = target.Capability,
            };
            target.Order.Send(target.Actor, target.Sequence, after => Send(new CallActor { Call = call with { After = after } }));
            return;
        }

        if (failed is not null)
        {
            return;
        }

        var spec = new TaskSpec
        {
            Id = taskId,
            Owner = Address,
            Function = function,
            Args = args,
            ReturnCount = returns.Count,
            SplitsResult = returns.SplitsResult,
            MaxRetries = options.MaxRetries,
            Cpus = options.Cpus,
            Resources = options.Resources is { Count: > 0 } resources ? new Dictionary<string, double>(resources) : null,
            Placement = Placements.Of(options.Strategy),
            Name = options.Name,
            RetryExceptions = options.RetryExceptions,
            RetryExceptionTypes = options.RetryExceptionTypes is { Count: > 0 } types ? [.. types.Select(t => t.FullName!)] : null,
            TaskLogLevel = SubmittedTaskLogLevel,
            JobNamespace = SubmittedNamespace,
        };
        if (_tasks.Find(taskId) is not { } submitted)
        {
            return; // Cancelled (failed) while its arguments resolved.
        }

        // Sent under the lock, so a cancel either sees it unsent (and it never leaves) or follows it to the node.
        lock (submitted)
        {
            if (submitted.Cancelled)
            {
                return;
            }

            submitted.Spec = spec;
            Send(new SubmitTask { Spec = spec });
        }
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

    /// <summary>
    /// A task this process submitted ran here as well. Its <see cref="TaskFinished"/> goes round
    /// through the node, and until it is back nothing counts the refs this process owns inside the
    /// returns (a task's owner is not granted refs it owns itself). So the handles that
    /// <paramref name="returns"/> keeps must stay reachable until then, or a collection in between
    /// frees an object that the returned value still names.
    /// </summary>
    public void HoldReturnsUntilFinished(TaskId task, object returns)
    {
        if (_tasks.Find(task) is { } submitted)
        {
            submitted.ReturnsInFlight = returns;
        }
    }

    private void OnTaskFinished(TaskFinished finished)
    {
        // Read before the task is forgotten: the returns' handles stay reachable until the values count them.
        var submitted = _tasks.Find(finished.Task);
        NoteActivity();
        var effects = new RefEffects();
        // The worker still holds these refs from the task's arguments: register it with their owners.
        foreach (var borrowed in finished.Borrowed ?? [])
        {
            GrantNested([borrowed], finished.Source, effects);
        }

        if (finished.Error is null && submitted?.Spec is { } sent && finished.Attempt < sent.Attempt)
        {
            // An earlier run's late values: a later run, sent to make a lost return again, makes them.
            References.DiscardLate(finished.Returns, effects);
        }
        else if (finished.Error is { } error)
        {
            if (!TryRetryException(finished, submitted))
            {
                FailTask(finished.Task, error, effects);
            }
        }
        else
        {
            foreach (var value in finished.Returns)
            {
                References.ResolveOwned(value, granted: true, effects);
            }

            ReleaseArguments(finished.Task, effects, finished.Returns);
        }

        Apply(effects);
        GC.KeepAlive(submitted?.ReturnsInFlight);
    }

    private void FailTask(TaskId task, ErrorInfo error)
    {
        var effects = new RefEffects();
        FailTask(task, error, effects);
        Apply(effects);
    }

    private void FailTask(TaskId task, ErrorInfo error, RefEffects effects)
    {
        var returnCount = _tasks.Find(task)?.ReturnCount ?? 1;
        for (var i = 0; i < returnCount; i++)
        {
            var id = ObjectId.ForReturn(task, i);
            References.ResolveOwned(ObjectValue.FailedValue(id, error), granted: false, effects);
        }

        ReleaseArguments(task, effects);
    }

    // The node re-runs a task after a worker crash before the owner hears of it, so once the owner
    // hears that the task finished, the task references its arguments no more: they are released,
    // or, when the first run of a task made a stored return (`returns`), kept by its lineage.
    private void ReleaseArguments(TaskId task, RefEffects effects, ObjectValue[]? returns = null)
    {
        if (_tasks.Finish(task) is not { } submitted)
        {
            return;
        }

        submitted.StopCancelling();
        if (submitted.Remakes is { } remade)
        {
            References.EndRemake(remade);
        }

        if (returns is null || submitted.Remakes is not null || submitted.Spec is not { } spec || !References.KeepLineage(spec, submitted.Held, returns, effects))
        {
            References.ReleasePendingTask(submitted.Held, effects);
        }
    }
}

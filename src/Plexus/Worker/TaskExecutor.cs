using Plexus.Core;
using Plexus.Core.References;
using Plexus.Functions;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Worker;

/// <summary>
/// Runs the tasks a node hands to this worker, in arrival order, as long as their CPUs fit in the
/// worker's share (fractions share a slot). A task that awaits a future gives its CPUs back until
/// the future is ready (and tells the node, which may then hand over more work), so nested tasks
/// never deadlock for want of slots.
/// </summary>
internal sealed class TaskExecutor(CoreRuntime runtime, int slots)
{
    private readonly object _lock = new();
    // Tasks received and not yet started (guarded by _lock).
    private readonly Queue<TaskSpec> _queue = new();
    // The worker's CPUs (guarded by _lock).
    private readonly CpuBudget _cpus = new(slots);

    public void Enqueue(TaskSpec spec)
    {
        lock (_lock)
        {
            _queue.Enqueue(spec);
        }

        Pump();
    }

    private void Pump()
    {
        while (TryTakeNext() is { } spec)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Executor.RunChainAsync(state.Spec), (Executor: this, Spec: spec), preferLocal: false);
        }
    }

    // Strictly in order: a large task at the head is not overtaken by small ones behind it.
    private TaskSpec? TryTakeNext()
    {
        lock (_lock)
        {
            return _queue.TryPeek(out var head) && _cpus.TryTake(head.Cpus) ? _queue.Dequeue() : null;
        }
    }

    // Runs tasks one after another on the same thread while the next one fits: no thread-pool hop
    // (and no wake-up of a parked thread) between short tasks.
    private async Task RunChainAsync(TaskSpec spec)
    {
        TaskSpec? next = spec;
        while (next is not null)
        {
            await RunAsync(next).ConfigureAwait(false);
            lock (_lock)
            {
                _cpus.Release(next.Cpus);
            }

            next = TryTakeNext();
        }
    }

    private async Task RunAsync(TaskSpec spec)
    {
        var context = new TaskContext(spec.Id, OnWaitChanged) { Cpus = spec.Cpus };
        TaskContext.Current = context;
        var results = new TaskResults(spec);
        TaskFinished finished;
        try
        {
            await ExecuteAsync(spec, results).ConfigureAwait(false);
            foreach (var value in results.Returns)
            {
                runtime.GrantNested(value.Nested, spec.Owner, results.Grants);
            }

            finished = results.Finished(runtime.Address, runtime.References.TakeUnregistered(results.ReceivedRefs));
        }
        catch (Exception e)
        {
            results.FreeStored(runtime.Store);
            finished = new TaskFinished
            {
                Task = spec.Id,
                Owner = spec.Owner,
                Returns = [],
                Error = Errors.FromException(e, spec.Name ?? spec.Function.Method),
                Executor = runtime.Address,
                Borrowed = runtime.References.TakeUnregistered(results.ReceivedRefs),
            };
        }
        finally
        {
            TaskContext.Current = null;
        }

        try
        {
            // Registrations of the task's owner as a borrower of refs inside the returns go first.
            runtime.Apply(results.Grants);
            runtime.Send(finished);
        }
        catch (ObjectDisposedException)
        {
            // The node is gone; this worker is exiting.
        }

        results.KeepRefsAlive();
    }

    private async Task ExecuteAsync(TaskSpec spec, TaskResults results)
    {
        var function = FunctionInvoker.Resolve(spec.Function);
        var parameters = function.ParameterTypes;
        if (parameters.Length != spec.Args.Length)
        {
            throw new FunctionUnavailableException(
                $"{function} takes {parameters.Length} parameters but the task has {spec.Args.Length} arguments.");
        }

        // Stored arguments are pinned by the node for as long as the task runs: read them in place.
        var args = new object?[parameters.Length];
        ArgumentRefs.Begin();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = ArgumentReader.Read(parameters[i], spec.Args[i], runtime.Store.Arena);
            }
        }
        finally
        {
            results.ReceivedRefs = ArgumentRefs.End();
        }

        var result = await function.InvokeAsync(args).ConfigureAwait(false);
        if (spec.ReturnCount == 1)
        {
            await StoreReturnsAsync(spec, [result], function.ResultType, results).ConfigureAwait(false);
        }
        else
        {
            await StoreReturnsAsync(spec, SplitReturns(spec, function, result), function.ResultType.GetElementType()!, results).ConfigureAwait(false);
        }
    }

    private static object?[] SplitReturns(TaskSpec spec, FunctionInvoker function, object? result)
    {
        if (result is not Array values || !function.ResultType.IsArray)
        {
            throw new InvalidOperationException($"{function} declares {spec.ReturnCount} returns, so it must return an array.");
        }

        if (values.Length != spec.ReturnCount)
        {
            throw new InvalidOperationException($"{function} declares {spec.ReturnCount} returns but returned {values.Length} values.");
        }

        var split = new object?[values.Length];
        Array.Copy(values, split, values.Length);
        return split;
    }

    // Small returns ride inline in the reply up to CoreRuntime.InlineBudget in all; the rest are
    // stored. Once all are, the task's owner becomes a borrower of every ref inside them.
    private async Task StoreReturnsAsync(TaskSpec spec, object?[] values, Type type, TaskResults results)
    {
        long inlineBytes = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var encoded = ValueCodec.Encode(values[i], type);
            var forceStore = inlineBytes + encoded.Length > CoreRuntime.InlineBudget;
            var value = await runtime.StoreAsync(ObjectId.ForReturn(spec.Id, i), encoded, spec.Owner, forceStore).ConfigureAwait(false);
            results.Add(i, value, encoded.Refs);
            if (value.Location == ValueLocation.Inline)
            {
                inlineBytes += encoded.Length;
            }
        }
    }

    // Called by a task's context each time it starts or stops awaiting a future. The transitions
    // (first wait begins, last wait ends) and their messages are ordered under the lock, so the
    // CPU budget and the node always see blocked and unblocked alternate.
    private void OnWaitChanged(TaskContext context, int delta)
    {
        bool blocked;
        lock (_lock)
        {
            context.Waits += delta;
            if (delta > 0 && context.Waits == 1)
            {
                blocked = true;
                _cpus.Release(context.Cpus);
                runtime.Send(new TaskBlocked { Task = context.Id });
            }
            else if (delta < 0 && context.Waits == 0)
            {
                blocked = false;
                _cpus.Retake(context.Cpus);
                runtime.Send(new TaskUnblocked { Task = context.Id });
            }
            else
            {
                return;
            }
        }

        if (blocked)
        {
            Pump();
        }
    }
}

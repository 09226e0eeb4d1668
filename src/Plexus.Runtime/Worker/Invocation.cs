using Plexus.Core;
using Plexus.Core.References;
using Plexus.Functions;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.Worker;

/// <summary>
/// Runs one task or actor call: decodes its arguments (noting the borrowed refs they bring),
/// invokes the method, stores the returns, registers the owner as a borrower of the refs inside
/// them, and reports <see cref="TaskFinished"/> to the owner, value or error.
/// </summary>
internal static class Invocation
{
    /// <summary>
    /// What is being run, and for whom; <paramref name="SplitsResult"/> as in <see cref="TaskSpec.SplitsResult"/>;
    /// <paramref name="Retry"/> says which exceptions may re-run it (null: none); <paramref name="Attempt"/>
    /// is which execution this is (<see cref="TaskSpec.Attempt"/>).
    /// </summary>
    public readonly record struct Target(
        TaskId Id, ProcessAddress Owner, int ReturnCount, string Name, bool SplitsResult = false, ExceptionRetryPolicy? Retry = null, int Attempt = 0);

    public static async Task RunAsync(CoreRuntime runtime, Target target, ObjectValue[] args, Func<FunctionInvoker> resolve, object? instance)
    {
        var results = new TaskResults(target.Id, target.Owner, target.ReturnCount);
        var buffers = new ReturnBuffers(runtime, target);
        if (TaskContext.Current is { } context)
        {
            context.ReturnBuffers = buffers;
        }

        TaskFinished finished;
        try
        {
            await ExecuteAsync(runtime, target, args, resolve(), instance, results, buffers).ConfigureAwait(false);
            foreach (var value in results.Returns)
            {
                runtime.GrantNested(value.Nested, target.Owner, results.Grants);
            }

            finished = results.Finished(runtime.References.TakeUnregistered(results.ReceivedRefs), target.Attempt);
        }
        catch (Exception e)
        {
            buffers.Close();
            results.FreeStored(runtime.Store);
            var error = e is OperationCanceledException && TaskContext.Current is { IsCancelled: true }
                ? ErrorInfo.Of(ErrorKind.TaskCancelled, $"Task '{target.Name}' was cancelled while it ran, and stopped: {e.Message}", target.Name)
                : Errors.FromException(e, target.Name);
            finished = Failed(target, error, runtime.References.TakeUnregistered(results.ReceivedRefs), retryable: target.Retry?.Allows(e, error) == true);
        }

        try
        {
            // Registrations of the owner as a borrower of refs inside the returns go first.
            runtime.Apply(results.Grants);
            if (target.Owner == runtime.Address)
            {
                runtime.HoldReturnsUntilFinished(target.Id, results);
            }

            runtime.SendTo(target.Owner, finished);
            runtime.NoteActivity();
        }
        catch (ObjectDisposedException)
        {
            // The node is gone; this worker is exiting.
        }

        results.KeepRefsAlive();
    }

    public static TaskFinished Failed(Target target, ErrorInfo error, NestedRef[]? borrowed = null, bool retryable = false) => new()
    {
        Target = target.Owner,
        Task = target.Id,
        Returns = [],
        Error = error,
        Borrowed = borrowed,
        Retryable = retryable,
        Attempt = target.Attempt,
    };

    private static async Task ExecuteAsync(
        CoreRuntime runtime, Target target, ObjectValue[] encodedArgs, FunctionInvoker function, object? instance, TaskResults results, ReturnBuffers buffers)
    {
        var parameters = function.ParameterTypes;
        if (parameters.Length != encodedArgs.Length)
        {
            throw new FunctionUnavailableException(
                $"{function} takes {parameters.Length} parameters but the call has {encodedArgs.Length} arguments.");
        }

        // Stored arguments are pinned by the node for as long as the task runs: read them in place.
        var args = new object?[parameters.Length];
        ArgumentRefs.Begin();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = ArgumentReader.Read(parameters[i], encodedArgs[i], runtime);
            }
        }
        finally
        {
            results.ReceivedRefs = ArgumentRefs.End();
        }

        var returnType = target.SplitsResult ? function.ResultType.GetElementType() : function.ResultType;
        buffers.ReturnType = returnType;
        var result = await function.InvokeAsync(instance, args).ConfigureAwait(false);
        var values = target.SplitsResult ? SplitReturns(target, function, result) : [result];
        try
        {
            await StoreReturnsAsync(runtime, target, values, returnType!, results, buffers).ConfigureAwait(false);
        }
        finally
        {
            // A buffer left unclaimed (storing a return failed) is freed, unsealed; none is made after.
            buffers.Close();
        }
    }

    private static object?[] SplitReturns(Target target, FunctionInvoker function, object? result)
    {
        if (result is not Array values || !function.ResultType.IsArray)
        {
            throw new InvalidOperationException($"{function} declares {target.ReturnCount} returns, so it must return an array.");
        }

        if (values.Length != target.ReturnCount)
        {
            throw new InvalidOperationException($"{function} declares {target.ReturnCount} returns but returned {values.Length} values.");
        }

        var split = new object?[values.Length];
        Array.Copy(values, split, values.Length);
        return split;
    }

    // Small returns ride inline in the reply up to CoreRuntime.InlineBudget in all; the rest are
    // stored. Once all are, the owner becomes a borrower of every ref inside them.
    // A return left null whose buffer the task wrote is that buffer: sealed where it is when stored,
    // or its array when small.
    private static async Task StoreReturnsAsync(CoreRuntime runtime, Target target, object?[] values, Type type, TaskResults results, ReturnBuffers buffers)
    {
        long inlineBytes = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                if (buffers.Claim(i, out var array) is { } sealedInPlace)
                {
                    results.Add(i, sealedInPlace, refs: null);
                    continue;
                }

                values[i] = array;
            }
            else
            {
                // The value takes the return's id: its buffer goes first, in the node's order.
                buffers.Discard(i);
            }

            var encoded = ValueCodec.Encode(values[i], type);
            var forceStore = inlineBytes + encoded.Length > CoreRuntime.InlineBudget;
            var value = await runtime.StoreAsync(ObjectId.ForReturn(target.Id, i), encoded, target.Owner, forceStore).ConfigureAwait(false);
            results.Add(i, value, encoded.Refs);
            if (value.Location == ValueLocation.Inline)
            {
                inlineBytes += encoded.Length;
            }
        }
    }
}

using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>The runtime's side of a handle: its resolution as a value, and waiting for it.</summary>
internal static class ResolvedRefs
{
    /// <summary>The handle's resolution: its value, or why it has none.</summary>
    public static Task<ObjectValue> ResolveValue(this ObjectRef reference) => (Task<ObjectValue>)reference.Resolve();

    /// <summary>The runtime the handle is bound to.</summary>
    public static CoreRuntime Core(this ObjectRef reference) => (CoreRuntime)reference.Runtime;

    /// <summary>
    /// Waits until the object exists, without reading it. Inside a task, the task gives its CPU
    /// back while it waits. Throws <see cref="TimeoutException"/> when <paramref name="timeout"/> passes.
    /// </summary>
    public static async ValueTask<ObjectValue> WaitValueAsync(this ObjectRef reference, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var resolve = reference.ResolveValue();
        if (resolve.IsCompleted)
        {
            return await resolve.ConfigureAwait(false);
        }

        var context = TaskContext.Current;
        context?.EnterWait();
        try
        {
            return await resolve.WaitAsync(timeout ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Object {reference.Id} was not ready within {timeout}.");
        }
        finally
        {
            context?.ExitWait();
        }
    }
}

using Plexus.Core;
using Plexus.Protocol.Messages;
using Plexus.Serialization;

namespace Plexus.TestingHost;

/// <summary>
/// One runtime of an <see cref="InProcessCluster"/>: a real runtime attached to its node, used
/// through the public API (<see cref="Plexus"/>). Disposing it is its process's exit: its node
/// sees the connection close.
/// </summary>
public sealed class SimulatedProcess : IAsyncDisposable
{
    private readonly AttachedDriver _driver;

    internal SimulatedProcess(AttachedDriver driver)
    {
        _driver = driver;
        Plexus = new PlexusRuntime(driver.Runtime, driver);
    }

    /// <summary>The runtime, as a program uses it.</summary>
    public PlexusRuntime Plexus { get; }

    /// <summary>This process's address (its node and number).</summary>
    public ProcessAddress Address => _driver.Runtime.Address;

    /// <summary>
    /// Hands <paramref name="reference"/>, held by <paramref name="holder"/>, to this process, as a
    /// value containing it travels: the holder registers this process as a borrower with the
    /// ref's owner, and this process decodes a ref bound to its own runtime, which releases that
    /// registration when it is dropped.
    /// </summary>
    public ObjectRef<T> Receive<T>(SimulatedProcess holder, ObjectRef<T> reference)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var sender = holder._driver.Runtime;
        EncodedValue encoded;
        // Each simulated process is a job of its own: the holder hands the ref to this one's job.
        using (EncodingDestination.Enter(_driver.Runtime.Job))
        {
            encoded = ValueCodec.Encode(reference, typeof(ObjectRef<T>));
        }

        var effects = new Core.References.RefEffects();
        sender.GrantNested(encoded.Nested, Address, effects);
        sender.Apply(effects);
        var value = Protocol.Messages.ObjectValue.InlineValue(default, encoded.Format, encoded.ToArray());
        // The ref arrives as a task's argument would: this process counts the registration the
        // holder made, so that dropping the ref releases it at the owner (and the owner can free).
        Core.References.ArgumentRefs.Begin();
        ObjectRef<T> received;
        try
        {
            received = (ObjectRef<T>)ValueCodec.Decode(typeof(ObjectRef<T>), value, _driver.Runtime)!;
        }
        finally
        {
            _driver.Runtime.References.TakeUnregistered(Core.References.ArgumentRefs.End());
        }

        GC.KeepAlive(encoded.Refs);
        return received;
    }

    /// <summary>
    /// Fault injection: frees <paramref name="reference"/>'s copy in its node's store while this
    /// process, its owner, still holds it, as a node that lost the object would have. Readers then
    /// find the value's location empty.
    /// </summary>
    public void LoseFromStore<T>(ObjectRef<T> reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        _driver.Runtime.Store.Free([reference.Id]);
    }

    /// <inheritdoc />
    /// <summary>
    /// Asks this process's node where copies of <paramref name="reference"/> (which this process
    /// owns) are, as an owner does for a lost object, and has each holder found make its copy the
    /// primary: the nodes found, and those whose copy was adopted.
    /// </summary>
    public async Task<(ulong[] Found, ulong[] Adopted)> FindAndAdoptCopiesAsync(ObjectRef reference)
    {
        var runtime = _driver.Runtime;
        var located = await runtime.AskNodeAsync<ObjectsLocated>(new LocateObjects { Objects = [reference.Id] });
        var found = located?.Found.Select(f => f.Node).ToArray() ?? [];
        var adopted = new List<ulong>();
        foreach (var node in found)
        {
            var answer = await runtime.AskNodeAsync<ObjectsLocated>(new AdoptCopies { Objects = [reference.Id], Node = node, Owner = runtime.Address });
            adopted.AddRange(answer?.Found.Select(f => f.Node) ?? []);
        }

        return (found, [.. adopted]);
    }

    public ValueTask DisposeAsync() => Plexus.DisposeAsync();
}

using Plexus.Core;
using Plexus.Protocol.Security;
using Plexus.Serialization;

namespace Plexus.Tests;

/// <summary>Refs nested in values are collected while they are encoded, one value at a time.</summary>
public sealed class EncodedRefsTests
{
    private static readonly JobId Job = new(1, 2);

    [Fact]
    public void AValueWhoseGetterThrowsDoesNotLoseTheRefsOfTheNextValue()
    {
        var runtime = new CoreRuntime(Job, new ProcessAddress(7, 0), 1024, _ => { }, (_, _) => null!, CapabilityKey.FromClusterToken("test"));
        var reference = ObjectRef<int>.Received(ObjectId.ForPut(TaskId.Root(Job), 1), new ProcessAddress(7, 1), runtime);

        Assert.ThrowsAny<Exception>(() => ValueCodec.Encode(new ThrowingGetter(), typeof(ThrowingGetter)));
        var encoded = ValueCodec.Encode(new RefHolder(reference), typeof(RefHolder));

        Assert.Equal([reference.Id], encoded.Refs!.Select(r => r.Id));
    }

    [Fact]
    public void AValueGivesTheRefsItsWriterMayReadAndNoOthers()
    {
        var runtime = new CoreRuntime(Job, new ProcessAddress(7, 0), 1024, _ => { }, (_, _) => null!, CapabilityKey.FromClusterToken("test"));
        var otherJob = new JobId(3, 4);
        var own = ObjectRef<int>.Received(ObjectId.ForPut(TaskId.Root(Job), 1), new ProcessAddress(7, 1), runtime);
        var handedOver = ObjectRef<int>.Received(ObjectId.ForPut(TaskId.Root(otherJob), 1), new ProcessAddress(8, 1), runtime);
        handedOver.IsHandedOver = true;
        var madeUp = ObjectRef<int>.Received(ObjectId.ForPut(TaskId.Root(otherJob), 2), new ProcessAddress(8, 1), runtime);
        // The same object as `handedOver`, through a handle that was not handed over: the object was given all the same.
        var sameObject = ObjectRef<int>.Received(handedOver.Id, handedOver.Owner, runtime);

        var encoded = ValueCodec.Encode(new[] { own, sameObject, madeUp, handedOver }, typeof(ObjectRef<int>[]));

        Assert.Equal(
            [(own.Id, true), (handedOver.Id, true), (madeUp.Id, false)],
            encoded.Nested!.Select(n => (n.Id, n.Given)));
    }

    public sealed class ThrowingGetter
    {
        public int Value
        {
            get => throw new InvalidOperationException("a getter that throws");
            set => _ = value;
        }
    }

    public sealed record RefHolder(ObjectRef<int> Reference);
}

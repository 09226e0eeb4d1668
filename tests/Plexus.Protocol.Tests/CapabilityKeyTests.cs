using Plexus.Protocol.Security;

namespace Plexus.Protocol.Tests;

/// <summary>A capability tag proves one id of one cluster, and nothing else.</summary>
public sealed class CapabilityKeyTests
{
    private static readonly ObjectId Object = ObjectId.ForPut(TaskId.Root(new JobId(0x1234, 0x5678)), 1);

    [Fact]
    public void NodesOfOneClusterAdmitEachOthersTagsAndNodesOfAnotherDoNot()
    {
        var minted = CapabilityKey.FromClusterToken("cluster-token").Of(Object);

        Assert.True(minted.IsPresent);
        Assert.True(CapabilityKey.FromClusterToken("cluster-token").Admits(Object, minted));
        Assert.False(CapabilityKey.FromClusterToken("another-token").Admits(Object, minted));
    }

    [Fact]
    public void ATagAdmitsOnlyItsOwnIdAndKind()
    {
        var key = CapabilityKey.FromClusterToken("cluster-token");
        var tag = key.Of(Object);

        Assert.False(key.Admits(Object with { Index = Object.Index + 1 }, tag));
        Assert.False(key.Admits(Object with { Task = Object.Task with { Job = new JobId(0x1234, 0x5679) } }, tag));
        // An object's tag never passes for the actor whose id has the same bits, nor the other way.
        Assert.False(key.Admits(Object.Task, tag));
        Assert.False(key.Admits(Object, key.Of(Object.Task)));
        Assert.True(key.Admits(Object.Task, key.Of(Object.Task)));
    }

    [Fact]
    public void NoTagAdmitsNothing()
    {
        var key = CapabilityKey.FromClusterToken("cluster-token");

        Assert.False(key.Admits(Object, default));
        Assert.False(key.Admits(Object.Task, default));
    }
}

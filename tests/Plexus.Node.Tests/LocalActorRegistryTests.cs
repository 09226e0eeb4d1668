using Plexus.Protocol.Messages;

namespace Plexus.Node.Tests;

/// <summary>The embedded cluster's actor names: unique among live actors, and a held actor registered again where it is placed is not a duplicate of itself.</summary>
public sealed class LocalActorRegistryTests
{
    private static readonly JobId Job = JobId.NewRandom();

    [Fact]
    public async Task AHeldActorRegisteredAgainWhereItIsPlacedKeepsItsNameAndAnotherActorIsRefused()
    {
        var registry = new LocalActorRegistry();
        var held = Actor(1);

        Assert.Null(await registry.RegisterAsync(held, node: 7, held: true));
        Assert.Null(await registry.RegisterAsync(held, node: 9, held: false));
        var duplicate = await registry.RegisterAsync(Actor(2), node: 7, held: false);

        Assert.Equal(held.Id, duplicate?.Spec.Id);
        Assert.Equal(9UL, duplicate?.Node);
        Assert.Equal(9UL, (await registry.LookupAsync("shop", "counter"))?.Node);
    }

    private static ActorSpec Actor(ulong path) => new()
    {
        Id = TaskId.Root(Job).Child(path),
        Owner = new ProcessAddress(7, ProcessAddress.DriverProcess),
        Constructor = new FunctionDescriptor("Shop", "Shop.Counter", ".ctor", 1),
        Args = [],
        Name = "counter",
        Namespace = "shop",
    };
}

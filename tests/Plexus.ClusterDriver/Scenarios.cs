namespace Plexus.ClusterDriver;

/// <summary>The scenarios by the name the first argument gives; each returns what it found, printed as JSON.</summary>
internal static class Scenarios
{
    public static IReadOnlyDictionary<string, Func<PlexusRuntime, ScenarioContext, Task<object>>> All { get; } =
        new Dictionary<string, Func<PlexusRuntime, ScenarioContext, Task<object>>>
        {
            ["sum"] = SumScenario.RunAsync,
            ["spread"] = SpreadScenario.RunAsync,
            ["locality"] = LocalityScenario.RunAsync,
            ["resources"] = ResourcesScenario.RunAsync,
            ["versions"] = VersionsScenario.RunAsync,
            ["node-death"] = NodeDeathScenario.RunAsync,
            ["actor-create"] = NamedActorScenario.CreateAsync,
            ["actor-call"] = NamedActorScenario.CallAsync,
            ["exclusive"] = ResourceUseScenario.ExclusiveAsync,
            ["held-actor"] = ResourceUseScenario.HeldActorAsync,
            ["concurrent"] = ResourceUseScenario.ConcurrentAsync,
            ["remote-driver"] = RemoteDriverScenario.RunAsync,
            ["actor-claim"] = NamedActorScenario.ClaimAsync,
            ["actor-held"] = NamedActorScenario.HeldAsync,
            ["drain"] = DrainScenario.RunAsync,
            ["cancel"] = CancelScenario.RunAsync,
            ["cancel-lost-node"] = CancelScenario.LostNodeAsync,
            ["control-restart"] = ControlRestartScenario.RunAsync,
            ["partition"] = PartitionScenario.RunAsync,
            ["owner-death"] = OwnerDeathScenario.RunAsync,
            ["owner-driver-death"] = OwnerDriverDeathScenario.RunAsync,
            ["fenced-driver"] = FencedDriverScenario.RunAsync,
            ["actor-restart"] = ActorRestartScenario.RunAsync,
            ["actor-failover"] = ActorFailoverScenario.RunAsync,
            ["nodes"] = NodesScenario.RunAsync,
            ["dedicated-remote"] = DedicatedRemoteActorScenario.RunAsync,
            ["chain"] = ReconstructionScenarios.ChainAsync,
            ["big"] = ReconstructionScenarios.BigObjectAsync,
            ["reasons"] = ReconstructionScenarios.ReasonsAsync,
            ["copy"] = ReconstructionScenarios.CopyUsedAsync,
            ["data-transform"] = DataScenarios.TransformAsync,
            ["data-node-local"] = DataScenarios.NodeLocalAsync,
            ["data-read-shared"] = DataScenarios.ReadSharedAsync,
            ["data-node-death"] = DataScenarios.NodeDeathAsync,
            ["data-write"] = DataScenarios.WriteAsync,
            ["metrics"] = MetricsScenario.RunAsync,
            ["state"] = StateScenario.RunAsync,
            ["task-log"] = TaskLogScenario.RunAsync,
        };

    /// <summary>Options that bind a task to one node (hard affinity).</summary>
    public static TaskOptions On(string nodeId) => new() { Strategy = SchedulingStrategy.NodeAffinity(nodeId) };
}

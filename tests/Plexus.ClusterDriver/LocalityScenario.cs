namespace Plexus.ClusterDriver;

/// <summary>
/// <c>locality NODE2 NODE3</c>: a task bound to NODE2 makes a 200 MiB array (stored there); a task
/// taking it, placed by default, says where it ran and the array's SHA-256. An object put by the
/// driver is read and hashed by a task bound to NODE3. At checkpoint "holding" the job holds both;
/// then it drops every ref and waits at checkpoint "dropped" while the test checks the stores.
/// Prints where each reader ran and whether each hash matched.
/// </summary>
internal static class LocalityScenario
{
    private const int RemoteBytes = 200 << 20;
    private const int LocalBytes = 64 << 20;

    public static async Task<object> RunAsync(PlexusRuntime plexus, ScenarioContext context)
    {
        var (node2, node3) = (context.Arguments[0], context.Arguments[1]);

        var remote = plexus.Task<int, int, byte[]>(ClusterTasks.Bytes).WithOptions(Scenarios.On(node2)).Remote(RemoteBytes, 2);
        var remoteDigest = plexus.Task<byte[], Digest>(ClusterTasks.DigestHere).Remote(remote);
        var local = plexus.Put(ClusterTasks.Bytes(LocalBytes, 1));
        var localDigest = plexus.Task<byte[], Digest>(ClusterTasks.DigestHere).WithOptions(Scenarios.On(node3)).Remote(local);
        var remoteRead = await remoteDigest;
        var localRead = await localDigest;

        await context.CheckpointAsync("holding");
        foreach (var handle in new ObjectRef[] { remote, remoteDigest, local, localDigest })
        {
            handle.Dispose();
        }

        await context.CheckpointAsync("dropped");
        return new
        {
            RemoteReaderNode = remoteRead.NodeId,
            RemoteContentMatches = remoteRead.Sha256 == ClusterTasks.Sha256(ClusterTasks.Bytes(RemoteBytes, 2)),
            LocalReaderNode = localRead.NodeId,
            LocalContentMatches = localRead.Sha256 == ClusterTasks.Sha256(ClusterTasks.Bytes(LocalBytes, 1)),
        };
    }
}

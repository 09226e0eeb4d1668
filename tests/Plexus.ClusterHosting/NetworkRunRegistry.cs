using System.Text.Json;

namespace Plexus.ClusterHosting;

/// <summary>
/// The test networks on this machine, one state file per run under <c>/tmp/plexus-netns</c>:
/// which run ids and subnets are taken, and by which process. A run whose process is gone (a test
/// host killed mid-test never disposes) is a leftover: the next claim removes its namespaces,
/// links and file. A run whose process lives is never touched.
/// </summary>
internal static class NetworkRunRegistry
{
    private const string StateSuffix = ".json";

    private static readonly string StateDirectory = Path.Combine(Path.GetTempPath(), "plexus-netns");

    // Claims by concurrent test hosts (two test projects at once) would otherwise pick the same
    // subnet or clean up a run between its file and its devices. An flock, dropped by the kernel
    // when its holder dies, so a crash never leaves it held.
    private static readonly string LockPath = Path.Combine(StateDirectory, "lock");

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Removes the leftovers of dead runs, then registers a new run owned by <paramref name="owner"/>.</summary>
    /// <exception cref="NetworkSetupException">Every subnet is taken, or a leftover could not be removed.</exception>
    public static async Task<NetworkRun> ClaimAsync(ProcessIdentity owner)
    {
        Directory.CreateDirectory(StateDirectory);
        using var held = await Eventually.ValueAsync(TryLock, static l => l is not null, $"the lock {LockPath} is free", LockTimeout);
        var live = new List<NetworkRun>();
        foreach (var (path, run) in ReadAll())
        {
            if (run.Owner.IsRunning)
            {
                live.Add(run);
            }
            else
            {
                await RemoveDevicesAsync(run);
                File.Delete(path);
            }
        }

        var claimed = new NetworkRun(FreeRunId(live), await FreeSubnetOctetAsync(live), owner);
        await File.WriteAllTextAsync(StatePath(claimed.RunId), JsonSerializer.Serialize(StateFile.Of(claimed)));
        return claimed;
    }

    /// <summary>Removes the run's namespaces and links, then its state file.</summary>
    public static async Task ReleaseAsync(NetworkRun run)
    {
        await RemoveDevicesAsync(run);
        File.Delete(StatePath(run.RunId));
    }

    private static async Task RemoveDevicesAsync(NetworkRun run)
    {
        // Deleting a namespace deletes the veth end inside it, and with it the pair; the host ends
        // are deleted too, for a namespace that a process still alive in it keeps from going.
        foreach (var name in (await IpCommand.NamespacesAsync()).Where(run.Owns))
        {
            await IpCommand.TryRunAsync("netns", "delete", name);
        }

        foreach (var name in (await IpCommand.LinksAsync()).Where(run.Owns))
        {
            await IpCommand.TryRunAsync("link", "delete", name);
        }

        var left = (await IpCommand.NamespacesAsync()).Concat(await IpCommand.LinksAsync()).Where(run.Owns).ToList();
        if (left.Count > 0)
        {
            throw new NetworkSetupException($"Could not remove the test network {run.RunId}: {string.Join(", ", left)} remain. Remove them with `ip netns delete NAME` and `ip link delete NAME`.");
        }
    }

    private static FileStream? TryLock()
    {
        try
        {
            // On Unix, .NET takes FileShare.None as an exclusive flock on the file.
            return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<(string Path, NetworkRun Run)> ReadAll()
    {
        foreach (var path in Directory.EnumerateFiles(StateDirectory, "*" + StateSuffix))
        {
            var state = JsonSerializer.Deserialize<StateFile>(File.ReadAllText(path))
                ?? throw new NetworkSetupException($"The test network state file {path} is empty; delete it.");
            yield return (path, state.ToRun());
        }
    }

    private static string FreeRunId(List<NetworkRun> live)
    {
        while (true)
        {
            var id = Convert.ToHexStringLower(BitConverter.GetBytes((ushort)Random.Shared.Next(ushort.MaxValue + 1)));
            if (live.All(run => run.RunId != id))
            {
                return id;
            }
        }
    }

    // A subnet no live run holds and no interface of this machine uses (a network that is not ours).
    private static async Task<int> FreeSubnetOctetAsync(List<NetworkRun> live)
    {
        var addresses = await IpCommand.RunAsync("-o", "-4", "addr", "show");
        var free = Enumerable.Range(0, 256)
            .Where(octet => live.All(run => run.SubnetOctet != octet) && !addresses.Contains($" 10.213.{octet}.", StringComparison.Ordinal))
            .ToList();
        return free.Count > 0
            ? free[Random.Shared.Next(free.Count)]
            : throw new NetworkSetupException("Every subnet of 10.213.0.0/16 is taken by a live test network or an interface of this machine.");
    }

    private static string StatePath(string runId) => Path.Combine(StateDirectory, runId + StateSuffix);

    private sealed record StateFile(string RunId, int SubnetOctet, int OwnerPid, ulong OwnerStartTicks)
    {
        public static StateFile Of(NetworkRun run) => new(run.RunId, run.SubnetOctet, run.Owner.Pid, run.Owner.StartTicks);

        public NetworkRun ToRun() => new(RunId, SubnetOctet, new ProcessIdentity(OwnerPid, OwnerStartTicks));
    }
}

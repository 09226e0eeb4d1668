using Plexus.Protocol.Messages;

namespace Plexus.Node;

/// <summary>Resource names nodes report and tasks ask for, and whether a node offers what a task asks.</summary>
internal static class Resources
{
    /// <summary>CPU slots.</summary>
    public const string Cpu = "CPU";

    /// <summary>GPUs.</summary>
    public const string Gpu = "GPU";

    /// <summary>Bytes of the object store.</summary>
    public const string ObjectStoreMemory = "object_store_memory";

    /// <summary>
    /// Whether a node offering <paramref name="total"/> can ever run <paramref name="task"/>: it
    /// offers CPUs (a node offering none, a driver's own node, has no workers: not even work that
    /// reserves no CPUs goes there), a worker holds the task's CPUs (<paramref name="cpusPerWorker"/>)
    /// and the node offers each other resource it asks.
    /// </summary>
    public static bool CanEverRun(Demand task, IReadOnlyDictionary<string, double> total, double cpusPerWorker) =>
        total.GetValueOrDefault(Cpu) > 0
        && task.Cpus <= cpusPerWorker + TaskDispatcher.CpuTolerance
        && (task.Resources is null || task.Resources.All(r => total.GetValueOrDefault(r.Key) >= r.Value - TaskDispatcher.CpuTolerance));

    /// <summary>What a task asks for, for messages: "1 CPU, ssd: 1".</summary>
    public static string Describe(TaskSpec task) => Describe(Demand.Of(task));

    /// <summary>What a task or actor asks for, for messages.</summary>
    public static string Describe(Demand task) =>
        string.Join(", ", new[] { $"{task.Cpus:0.###} CPU{(task.Cpus == 1 ? "" : "s")}" }.Concat((task.Resources ?? []).Select(r => $"{r.Key}: {r.Value:0.###}")));
}

using Microsoft.Extensions.Options;
using Plexus.Node;

namespace Plexus.Hosting;

/// <summary>Refuses node options that cannot work, naming each, when the host starts.</summary>
internal sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var failures = new List<string>();
        if (options.Cpus < 1)
        {
            failures.Add($"{nameof(NodeOptions.Cpus)} must be at least 1 (it is {options.Cpus}).");
        }

        if (options.WorkerCount is < 1)
        {
            failures.Add($"{nameof(NodeOptions.WorkerCount)} must be at least 1 when set (it is {options.WorkerCount}).");
        }

        if (options.StoreCapacity < 1)
        {
            failures.Add($"{nameof(NodeOptions.StoreCapacity)} must be positive (it is {options.StoreCapacity}).");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterToken))
        {
            failures.Add($"{nameof(NodeOptions.ClusterToken)} must not be empty: every process presents it to join.");
        }

        if (options.PipelineDepth < 0)
        {
            failures.Add($"{nameof(NodeOptions.PipelineDepth)} must not be negative (it is {options.PipelineDepth}).");
        }

        if (options.CreateTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(NodeOptions.CreateTimeout)} must be positive (it is {options.CreateTimeout}).");
        }

        if (options.WorkerIdleTimeout <= TimeSpan.Zero && options.WorkerIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{nameof(NodeOptions.WorkerIdleTimeout)} must be positive, or infinite to keep every worker (it is {options.WorkerIdleTimeout}).");
        }

        if (options.SpillHighWater is <= 0 or > 1)
        {
            failures.Add($"{nameof(NodeOptions.SpillHighWater)} must be in (0, 1] (it is {options.SpillHighWater}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

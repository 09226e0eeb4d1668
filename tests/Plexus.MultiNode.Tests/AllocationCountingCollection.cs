namespace Plexus.MultiNode.Tests;

/// <summary>
/// Tests that count the bytes this process allocates while they run (a process-wide figure): they
/// run alone, so no other test's allocations are counted with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCountingCollection
{
    public const string Name = "Allocation counting";
}

// A process holds one Plexus runtime at a time: test classes that start their own run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// One Plexus runtime per process at a time: test classes that start clusters run one after another.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

using Plexus.Binding;

namespace Plexus;

/// <summary>An actor about to be created: its constructor call and its options.</summary>
public sealed class ActorBuilder<T> where T : class
{
    private readonly ActorRecipe _recipe;

    internal ActorBuilder(ActorRecipe recipe, ActorOptions options)
    {
        _recipe = recipe;
        Options = options;
    }

    public ActorOptions Options { get; }

    public ActorBuilder<T> WithOptions(ActorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Cpus);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRestarts, -1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTaskRetries, -1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.CheckpointEvery);
        if (options.CheckpointEvery > 0 && !ActorHandle<T>.Checkpoints)
        {
            throw new ArgumentException(
                $"{typeof(T).Name} cannot be checkpointed every {options.CheckpointEvery} calls: it does not implement IActorCheckpoint<TState>. Implement it, or leave CheckpointEvery at 0.",
                nameof(options));
        }

        if (options.CheckpointEvery > 0 && options.MaxRestarts == 0)
        {
            throw new ArgumentException(
                $"Checkpoints of {typeof(T).Name} every {options.CheckpointEvery} calls would never be restored: the actor is not restarted (MaxRestarts is 0). Give it restarts.",
                nameof(options));
        }
        if (options.Name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(options.Name, nameof(options.Name));
        }

        ActorNamespaces.ThrowIfNotNameable(options.Namespace, nameof(options.Namespace));

        return new ActorBuilder<T>(_recipe, options);
    }

    /// <summary>
    /// Names the actor, unique among the live actors of <paramref name="namespace"/>: by default
    /// the namespace of the job creating it (<see cref="PlexusOptions.Namespace"/>; without one, the
    /// job's own anonymous namespace, where only that job finds it). Name a namespace to share the
    /// actor with the jobs that use it. Throws <see cref="ArgumentException"/> for a null, empty or
    /// blank name, and for an empty or blank namespace or a reserved one (starting with <c>anonymous:</c>).
    /// </summary>
    public ActorBuilder<T> WithName(string name, string? @namespace = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ActorNamespaces.ThrowIfNotNameable(@namespace, nameof(@namespace));

        return WithOptions(Options with { Name = name, Namespace = @namespace });
    }

    public ActorBuilder<T> Detached() => WithOptions(Options with { Detached = true });

    /// <summary>Reserves <paramref name="cpus"/> on the actor's worker while it lives (<see cref="ActorOptions.Cpus"/>).</summary>
    public ActorBuilder<T> WithCpus(double cpus) => WithOptions(Options with { Cpus = cpus });

    /// <summary>Runs the actor alone in a worker process of its own, which stops when the actor ends.</summary>
    public ActorBuilder<T> InDedicatedProcess() => WithOptions(Options with { DedicatedProcess = true });

    public ActorBuilder<T> WithMaxConcurrency(int calls) => WithOptions(Options with { MaxConcurrency = calls });

    /// <summary>
    /// Creates the actor on a worker and returns its handle (its constructor runs there; if it
    /// throws, every call fails saying so). While no worker has the CPUs it asks for free, the
    /// actor is pending: the handle works and calls wait (see <see cref="ActorOptions.Cpus"/>).
    /// Throws <see cref="ActorNameTakenException"/> when a live actor has the name, on any node, and
    /// in a cluster <see cref="NodeUnavailableException"/> for a named actor when the head node
    /// (which keeps the names) cannot be reached.
    /// </summary>
    public ActorHandle<T> Remote() => RemoteAsync().GetAwaiter().GetResult();

    /// <inheritdoc cref="Remote"/>
    public async Task<ActorHandle<T>> RemoteAsync() =>
        new(await _recipe.CreateAsync(Options, getIfExists: false).ConfigureAwait(false));

    /// <summary>The live actor with this builder's name if there is one, else a new one.</summary>
    public async Task<ActorHandle<T>> GetOrCreateAsync()
    {
        if (Options.Name is null)
        {
            throw new InvalidOperationException("Get-or-create needs a name: call WithName first.");
        }

        return new ActorHandle<T>(await _recipe.CreateAsync(Options, getIfExists: true).ConfigureAwait(false));
    }
}

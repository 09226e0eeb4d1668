using System.Linq.Expressions;

namespace Plexus;

/// <summary>Actors: create from a constructor call, find by name, list.</summary>
public sealed partial class PlexusRuntime
{
    /// <summary>
    /// Prepares an actor from a constructor call, as in <c>plexus.Actor(() =&gt; new Counter(10))</c>;
    /// the arguments are evaluated here. Options, then <c>Remote()</c>, create it.
    /// </summary>
    public ActorBuilder<T> Actor<T>(Expression<Func<T>> constructor) where T : class
    {
        ArgumentNullException.ThrowIfNull(constructor);
        Core.ThrowIfClosed();
        return new ActorBuilder<T>(Core.DescribeActor(constructor), ActorOptions.Default);
    }

    /// <summary>
    /// The live actor named <paramref name="name"/> in <paramref name="namespace"/>, on any node of the
    /// cluster: by default in the namespace of the job looking (<see cref="PlexusOptions.Namespace"/>;
    /// without one, the job's own anonymous namespace). <see cref="ActorNotFoundException"/> when
    /// there is none, and in a cluster <see cref="NodeUnavailableException"/> when its head node
    /// (which keeps the names) cannot be reached. Throws <see cref="ArgumentException"/> for a null,
    /// empty or blank name, and for an empty or blank namespace or a reserved one (starting with <c>anonymous:</c>).
    /// </summary>
    public async System.Threading.Tasks.Task<ActorHandle<T>> GetActorAsync<T>(string name, string? @namespace = null) where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ActorNamespaces.ThrowIfNotNameable(@namespace, nameof(@namespace));

        return new ActorHandle<T>(await Core.LookupActorAsync(name, @namespace, typeof(T)).ConfigureAwait(false));
    }

    /// <summary>
    /// The names of the live named actors of this runtime's node, as (namespace, name); a job's
    /// anonymous namespace shows as <c>anonymous:</c> and its job's id.
    /// </summary>
    public System.Threading.Tasks.Task<IReadOnlyList<(string Namespace, string Name)>> ListActorsAsync() => Core.ListActorsAsync();
}

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
    /// The live actor named <paramref name="name"/>, on any node of the cluster;
    /// <see cref="ActorNotFoundException"/> when there is none, and in a cluster
    /// <see cref="NodeUnavailableException"/> when its head node (which keeps the names) cannot be reached.
    /// </summary>
    public async System.Threading.Tasks.Task<ActorHandle<T>> GetActorAsync<T>(string name, string @namespace = "default") where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        return new ActorHandle<T>(await Core.LookupActorAsync(name, @namespace, typeof(T)).ConfigureAwait(false));
    }

    /// <summary>The names of the live named actors of this runtime's node, as (namespace, name).</summary>
    public System.Threading.Tasks.Task<IReadOnlyList<(string Namespace, string Name)>> ListActorsAsync() => Core.ListActorsAsync();
}

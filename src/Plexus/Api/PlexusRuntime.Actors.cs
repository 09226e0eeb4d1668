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
        Core.ThrowIfClosed();
        var (descriptor, args) = ActorExpressions.Constructor(constructor);
        return new ActorBuilder<T>(Core, descriptor, args, ActorOptions.Default);
    }

    /// <summary>The live actor named <paramref name="name"/>; <see cref="ActorNotFoundException"/> when there is none.</summary>
    public async System.Threading.Tasks.Task<ActorHandle<T>> GetActorAsync<T>(string name, string @namespace = "default") where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        var spec = await Core.LookupActorAsync(name, @namespace).ConfigureAwait(false);
        var expected = typeof(T).FullName;
        return spec.Constructor.Type == expected
            ? new ActorHandle<T>(spec, Core, anchor: null)
            : throw new InvalidCastException($"Actor '{name}' is a {spec.Constructor.Type}, not a {expected}.");
    }

    /// <summary>The names of the live named actors, as (namespace, name).</summary>
    public async System.Threading.Tasks.Task<IReadOnlyList<(string Namespace, string Name)>> ListActorsAsync() =>
        [.. (await Core.ListActorsAsync().ConfigureAwait(false)).Where(a => a.Name is not null).Select(a => (a.Namespace, a.Name!))];
}

namespace Plexus.Data.Actors;

/// <summary>A stateful stage's pool as planned: its size, what each actor reserves, and the mapper each builds.</summary>
internal sealed record ActorPoolSpec(ActorPoolSize Size, double Cpus, IReadOnlyDictionary<string, double>? Resources, MapperFactory Mapper)
{
    /// <summary>Calls queued at one actor before the pool grows (one running, one waiting, so the actor never idles between calls).</summary>
    public const int CallsPerActor = 2;
}

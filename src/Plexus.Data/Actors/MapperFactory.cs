namespace Plexus.Data.Actors;

/// <summary>Builds a stage's batch mapper inside its actor; travels to the actor as a value naming the mapper's type.</summary>
internal abstract class MapperFactory
{
    public abstract object Create();
}

/// <summary>Builds a <typeparamref name="TMapper"/> with its parameterless constructor.</summary>
internal sealed class MapperFactory<TMapper> : MapperFactory
    where TMapper : class, new()
{
    public override object Create() => new TMapper();
}

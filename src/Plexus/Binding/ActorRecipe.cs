namespace Plexus.Binding;

/// <summary>An actor's constructor and its evaluated arguments, ready to create on a runtime.</summary>
internal abstract class ActorRecipe
{
    /// <summary>Creates the actor (or, with <paramref name="getIfExists"/>, finds the live one of that name).</summary>
    public abstract Task<ActorBinding> CreateAsync(ActorOptions options, bool getIfExists);
}

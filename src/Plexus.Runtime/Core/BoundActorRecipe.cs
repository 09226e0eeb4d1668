using Plexus.Binding;
using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>An actor's constructor and encoded arguments, created through one runtime.</summary>
internal sealed class BoundActorRecipe(CoreRuntime runtime, FunctionDescriptor constructor, TaskArgument[] args) : ActorRecipe
{
    public override async Task<ActorBinding> CreateAsync(ActorOptions options, bool getIfExists)
    {
        var (spec, capability) = await runtime.CreateActorAsync(constructor, args, options, getIfExists).ConfigureAwait(false);
        // An owned actor this process just created gets its anchor; an existing one found by name does not.
        var created = spec.Owner == runtime.Address && !spec.Detached && runtime.CreatedHere(spec.Id);
        return new BoundActor(spec, runtime, created ? ObjectRef<bool>.Owned(runtime.PutAnchor(spec.Id), runtime) : null, capability);
    }
}

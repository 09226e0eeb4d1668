using Plexus.Protocol.Security;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>
/// Capability tags from the runtime's side (docs/ARCHITECTURE.md, Isolation between jobs): a ref
/// or handle written for another job carries its tag, made here when the running code acts for
/// the id's job (or this process owns the object), passed on when this process was handed one. A value of the running code's own
/// job costs one comparison per ref.
/// </summary>
internal sealed partial class CoreRuntime
{
    /// <summary>The cluster's key: this runtime makes the tags of its job's ids with it.</summary>
    public CapabilityKey Capabilities { get; }

    /// <summary>The tag to write with a ref to <paramref name="id"/> in the value encoded now, or none.</summary>
    public CapabilityTag TagToWrite(ObjectId id)
    {
        var context = CurrentContext;
        if (id.Task.Job == (EncodingDestination.Job ?? context.Id.Job))
        {
            return default;
        }

        // The owner vouches for its own objects too: an actor's call makes objects of the caller's
        // job, which the actor may hand to its own job (or a third) later.
        var held = References.CapabilityOf(id, out var owned);
        return held.IsPresent ? held : id.Task.Job == context.ActingJob || owned ? Capabilities.Of(id) : default;
    }

    /// <summary>The tag to write with a handle of <paramref name="actor"/> in the value encoded now, or none.</summary>
    public CapabilityTag TagToWrite(TaskId actor, CapabilityTag held)
    {
        var context = CurrentContext;
        if (actor.Job == (EncodingDestination.Job ?? context.Id.Job))
        {
            return default;
        }

        return held.IsPresent ? held : actor.Job == context.ActingJob ? Capabilities.Of(actor) : default;
    }

    /// <summary>The job the code running now acts for: what the node checks its reads and calls against.</summary>
    public JobId ActingJob => CurrentContext.ActingJob;
}

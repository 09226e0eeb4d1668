using Plexus.Protocol.Messages;
using Plexus.Protocol.Security;
using Plexus.Serialization;

namespace Plexus.Core;

/// <summary>
/// Capability tags from the runtime's side (docs/ARCHITECTURE.md, Isolation between jobs): code
/// reads through a handle of its own job's object, or one handed over with a valid tag, and only
/// those does it hand on, with their tags, to another job. A handle of the running code's own job
/// costs one comparison.
/// </summary>
internal sealed partial class CoreRuntime
{
    /// <summary>The cluster's key: this runtime makes and checks the tags of ids with it.</summary>
    public CapabilityKey Capabilities { get; }

    /// <summary>The job the code running now acts for: what the node checks its reads and calls against.</summary>
    public JobId ActingJob => CurrentContext.ActingJob;

    /// <summary>
    /// True when the code running now may read through <paramref name="reference"/>: its own job's
    /// object, or a handle handed over with the object's tag. Checked before this process's table is
    /// looked in, since a worker holds values for every job whose work it runs.
    /// </summary>
    public bool MayRead(ObjectRef reference) => reference.Id.Task.Job == ActingJob || reference.IsHandedOver;

    /// <summary>The value a read refused by <see cref="MayRead"/> resolves to.</summary>
    public ObjectValue Refused(ObjectId id) => ObjectValue.FailedValue(id, AccessDenials.ObjectRead(ActingJob, id));

    /// <summary>Marks <paramref name="reference"/> handed over when <paramref name="tag"/> is its object's (an invalid tag is ignored).</summary>
    public void Admit(ObjectRef reference, CapabilityTag tag)
    {
        if (Capabilities.Admits(reference.Id, tag))
        {
            HandOver(reference, tag);
        }
    }

    /// <summary>
    /// Marks <paramref name="reference"/>, read untagged from a value this runtime decodes for the
    /// code running now, handed over when it is another job's and the value's writer gave it
    /// (<see cref="DecodingSource"/>): the value was handed to this code, and with it what the
    /// writer could read. This runtime makes the tag, which its reads then carry to the node.
    /// </summary>
    public void AdmitGiven(ObjectRef reference)
    {
        if (reference.Id.Task.Job != ActingJob && DecodingSource.Gives(reference.Id))
        {
            HandOver(reference, Capabilities.Of(reference.Id));
        }
    }

    private void HandOver(ObjectRef reference, CapabilityTag tag)
    {
        References.NoteCapability(reference.Id, tag);
        reference.IsHandedOver = true;
    }

    /// <summary>The tag to write with <paramref name="reference"/> in the value encoded now, or none.</summary>
    public CapabilityTag TagToWrite(ObjectRef reference)
    {
        var context = CurrentContext;
        return TagFor(reference, EncodingDestination.Job ?? context.Id.Job, context.ActingJob);
    }

    /// <summary>
    /// The tag <paramref name="reference"/> goes to job <paramref name="destination"/> with: none for
    /// that job's own object; the object's tag when the code acting for <paramref name="acting"/>
    /// may read it (its own job's, or handed over), else none, and the destination's reads are refused.
    /// </summary>
    public CapabilityTag TagFor(ObjectRef reference, JobId destination, JobId acting)
    {
        var id = reference.Id;
        if (id.Task.Job == destination || (id.Task.Job != acting && !reference.IsHandedOver))
        {
            return default;
        }

        var held = References.CapabilityOf(id);
        return held.IsPresent ? held : Capabilities.Of(id);
    }

    /// <summary>
    /// The tag to write with a handle of <paramref name="actor"/> in a value, whatever job the value
    /// goes to (it may be handed on from there, and a handle has no list of the value's to be given
    /// by, as a ref has): the one the handle holds, else the actor's when it is of the job the
    /// running code acts for, else none. A handle made by creation or lookup holds its tag, so
    /// this makes no hash but for a handle of the running code's job that came without one.
    /// </summary>
    public CapabilityTag TagToWrite(TaskId actor, CapabilityTag held) =>
        held.IsPresent ? held : actor.Job == ActingJob ? Capabilities.Of(actor) : default;
}

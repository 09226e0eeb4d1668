namespace Plexus;

/// <summary>
/// A static method or a lambda that captures nothing, named so that it can travel inside values:
/// task and actor arguments, and fields of values. Where it is read, it is resolved (once per
/// process and function) to a delegate of the same method. Make one with
/// <see cref="PlexusRuntime.Function{TDelegate}(TDelegate)"/>.
/// </summary>
/// <remarks>
/// Plain delegates stay refused in values, so an accidental delegate field is an error at
/// submission; a <see cref="RemoteFunction{TDelegate}"/> makes a travelling function visible in
/// the types. Every process of a job runs the same build, which is what lets a method be named by
/// its assembly and metadata token; a process running another build fails to read it with
/// <see cref="FunctionUnavailableException"/>.
/// </remarks>
/// <typeparam name="TDelegate">The delegate type the function is called through, for example <c>Func&lt;int, int&gt;</c>.</typeparam>
public sealed class RemoteFunction<TDelegate> where TDelegate : Delegate
{
    internal RemoteFunction(TDelegate function, string name, object descriptor)
    {
        Function = function;
        Name = name;
        Descriptor = descriptor;
    }

    /// <summary>The function: the delegate it was made from in the process that made it, the resolved one where it was read.</summary>
    public TDelegate Function { get; }

    /// <summary>Its name as task names read: <c>Type.Method</c>, or <c>Type.Method (lambda)</c> for a lambda written in <c>Method</c>.</summary>
    public string Name { get; }

    /// <summary>The runtime's description of the method (a function descriptor, which this assembly does not know).</summary>
    internal object Descriptor { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

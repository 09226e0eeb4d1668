using Plexus.Binding;

namespace Plexus;

/// <summary>
/// A task argument: a value, or a future of the parameter's type that is resolved before the task
/// runs. Converts implicitly from both, so calls read like local calls.
/// </summary>
public readonly struct Arg<T>
{
    private readonly T? _value;
    private readonly ObjectRef? _reference;

    private Arg(T? value, ObjectRef? reference)
    {
        _value = value;
        _reference = reference;
    }

    /// <summary>A value argument, serialized at submission.</summary>
    public static implicit operator Arg<T>(T value) => new(value, null);

    /// <summary>A future argument, resolved to its value before the task runs.</summary>
    public static implicit operator Arg<T>(ObjectRef<T> reference) => new(default, reference);

    internal static Arg<T> FromRef(ObjectRef reference) => new(default, reference);

    internal static Arg<T> FromValue(T value) => new(value, null);

    /// <summary>The argument as given, for the runtime to encode when the call is submitted.</summary>
    internal CallArgument ToCallArgument(int position) => new(_reference, _reference is null ? _value : null, typeof(T), position);
}

/// <summary>Helpers for arguments: futures inside actor calls, and values C# will not convert on its own.</summary>
public static class Arg
{
    /// <summary>
    /// A value argument. Needed only for a value held in a variable of interface type, which C#
    /// never converts implicitly: <c>Remote(Arg.Value(shape))</c>. The value arrives as its own
    /// class, like any value passed as an interface.
    /// </summary>
    public static Arg<T> Value<T>(T value) => Arg<T>.FromValue(value);

    /// <summary>
    /// Inside an actor call's lambda, <c>c =&gt; c.Add(Arg.Of(n))</c>, stands for the value of
    /// <paramref name="reference"/>: the call is sent once it is ready, still in the caller's
    /// order. Called anywhere else it throws: await the ref instead.
    /// </summary>
    public static T Of<T>(ObjectRef<T> reference) =>
        throw new InvalidOperationException("Arg.Of only marks a future inside an actor call's lambda; elsewhere, await the ref.");
}

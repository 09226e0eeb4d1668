namespace Plexus.Binding;

/// <summary>
/// One argument as the caller gave it: a future, or a value of its declared type. The runtime
/// encodes values when it submits the call.
/// </summary>
internal readonly struct CallArgument(ObjectRef? reference, object? value, Type declaredType, int position)
{
    /// <summary>The future passed, or null for a value.</summary>
    public ObjectRef? Reference { get; } = reference;

    public object? Value { get; } = value;

    /// <summary>The parameter's type: how the value is encoded.</summary>
    public Type DeclaredType { get; } = declaredType;

    /// <summary>The parameter's position, from 1, for error messages.</summary>
    public int Position { get; } = position;
}

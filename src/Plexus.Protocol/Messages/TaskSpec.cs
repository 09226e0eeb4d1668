using MemoryPack;
using Microsoft.Extensions.Logging;

namespace Plexus.Protocol.Messages;

/// <summary>
/// Everything a worker needs to run a task, and everything an owner needs to re-run it (lineage).
/// Arguments are resolved before the spec reaches a node: each is a value inline or in the store.
/// </summary>
[MemoryPackable]
internal sealed partial record TaskSpec
{
    public required TaskId Id { get; init; }
    /// <summary>The runtime that submitted the task and owns its return values.</summary>
    public required ProcessAddress Owner { get; init; }
    public required FunctionDescriptor Function { get; init; }
    public required ObjectValue[] Args { get; init; }
    /// <summary>How many objects the task returns (see <see cref="SplitsResult"/>).</summary>
    public required int ReturnCount { get; init; }
    /// <summary>
    /// True when the function returns an array of exactly <see cref="ReturnCount"/> elements, each its
    /// own object (<c>Returns(n)</c>, for any n including 1); false when its result is one object.
    /// </summary>
    public bool SplitsResult { get; init; }
    public int MaxRetries { get; init; }
    /// <summary>Which execution this is: 0 first, then one more per retry (after a worker crash, or an exception its owner retries).</summary>
    public int Attempt { get; init; }
    public double Cpus { get; init; } = 1;
    /// <summary>Other resources it needs (GPUs, a node's custom ones), by name; null for none.</summary>
    public Dictionary<string, double>? Resources { get; init; }
    /// <summary>Which node runs it (see <see cref="Placement"/>).</summary>
    public Placement Placement { get; init; }
    public string? Name { get; init; }
    /// <summary>
    /// Set when the node re-queued the task free because its worker died before reporting that
    /// the task had started. The worker then runs it only once its <see cref="TaskStarted"/> has
    /// been written to the node, so a task that kills its worker at once is re-run free at most
    /// once and charged a retry every time after.
    /// </summary>
    public bool ConfirmStart { get; init; }
    /// <summary>
    /// Which run of the task's lineage this is: 0 for the first (and its crash retries), one more
    /// for each exception retry and each time its owner runs it again to make a lost return. The task's
    /// children and puts take ids apart from those of earlier generations (whose executor may
    /// still live and own them); its return ids never change.
    /// </summary>
    public int Generation { get; init; }
    /// <summary>Whether an exception thrown by the task's code re-runs it (<c>TaskOptions.RetryExceptions</c>).</summary>
    public bool RetryExceptions { get; init; }
    /// <summary>
    /// With <see cref="RetryExceptions"/>, the full names of the exception types that re-run the task
    /// (an exception matches when its type or a base type has one of them); null for every user exception.
    /// </summary>
    public string[]? RetryExceptionTypes { get; init; }
    /// <summary>
    /// The lowest level of what the task's code logs that its worker keeps and sends to the driver:
    /// its job's (the driver's <c>PlexusOptions.TaskLogLevel</c>), carried by every task of the job so
    /// that workers of any node, shared by jobs of one package, log each job at its own level.
    /// </summary>
    public LogLevel TaskLogLevel { get; init; } = LogLevel.Information;
    /// <summary>
    /// The namespace of its job (the driver's <c>PlexusOptions.Namespace</c>), where the task's code
    /// names and looks up actors when it names no namespace; null for the job's anonymous one
    /// (<c>ActorNamespaces.AnonymousOf</c> of <see cref="TaskId.Job"/>), so most tasks carry no string.
    /// </summary>
    public string? JobNamespace { get; init; }

    /// <summary>For logs and errors: the task's name if it has one, else its function's readable name.</summary>
    [MemoryPackIgnore]
    public string DisplayName => Name ?? Function.DisplayName;
}

/// <summary>How the cluster chooses a node for a task or actor (the API's <c>SchedulingStrategy</c>).</summary>
[MemoryPackable]
internal readonly partial record struct Placement(PlacementKind Kind, ulong Node)
{
    /// <summary>Hard affinity fails when <see cref="Node"/> is not alive; soft goes elsewhere.</summary>
    public bool Soft { get; init; }
}

/// <summary>The strategies of <see cref="Placement"/>.</summary>
internal enum PlacementKind : byte
{
    /// <summary>Pack onto the submitting node until it is busy, then spread.</summary>
    Default = 0,
    /// <summary>Every node that can run it, in turn.</summary>
    Spread = 1,
    /// <summary>On <see cref="Placement.Node"/>.</summary>
    NodeAffinity = 2,
}

/// <summary>
/// A stable name for a static method (or non-capturing lambda). Every process of a job runs the
/// same assemblies, so the assembly's name plus the method's metadata token find it; the type and
/// method names are for error messages and a consistency check. A method of a closed generic
/// type, or a closed generic method, names its generic definition (<see cref="Type"/> is the
/// type's definition, <c>Pair`1</c>) and carries the <see cref="TypeArguments"/> that close it.
/// </summary>
/// <param name="Assembly">The full name of the method's assembly.</param>
/// <param name="Type">The full name of the declaring type (its generic definition, if generic).</param>
/// <param name="Method">The method's name.</param>
/// <param name="MetadataToken">The method's token in the assembly's manifest module (the generic definition's).</param>
/// <param name="TypeArguments">The declaring type's type arguments, then the method's,
/// assembly-qualified; null for a method with none.</param>
[MemoryPackable]
internal sealed partial record FunctionDescriptor(string Assembly, string Type, string Method, int MetadataToken, string[]? TypeArguments = null)
{
    /// <summary>
    /// <c>Type.Method</c> without namespace or compiler-generated names: a lambda is named after
    /// the method that declares it (<c>Program.Main (lambda)</c>, not <c>&lt;&gt;c.&lt;Main&gt;b__0_0</c>).
    /// </summary>
    [MemoryPackIgnore]
    public string DisplayName => FunctionNames.Readable(Type, Method);

    /// <summary>Equal when they name the same method with the same type arguments (compared by value, not as arrays).</summary>
    public bool Equals(FunctionDescriptor? other) =>
        other is not null && MetadataToken == other.MetadataToken && Assembly == other.Assembly && Type == other.Type && Method == other.Method
        && (TypeArguments ?? []).AsSpan().SequenceEqual(other.TypeArguments ?? []);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Assembly);
        hash.Add(Type);
        hash.Add(Method);
        hash.Add(MetadataToken);
        foreach (var argument in TypeArguments ?? [])
        {
            hash.Add(argument);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => TypeArguments is null
        ? $"{Type}.{Method} ({Assembly})"
        : $"{Type}.{Method} [{string.Join(", ", TypeArguments)}] ({Assembly})";
}

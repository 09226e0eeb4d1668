namespace Plexus.ClusterHosting;

/// <summary>A program and its arguments, before it is started.</summary>
internal sealed record CommandLine(string FileName, IReadOnlyList<string> Arguments)
{
    public CommandLine(string fileName, params string[] arguments)
        : this(fileName, (IReadOnlyList<string>)arguments)
    {
    }

    /// <summary>
    /// A .NET program, <c>dotnet ASSEMBLY</c>, run by the host running this process when that is
    /// <c>dotnet</c> (so it runs on the same runtime), else by the <c>dotnet</c> on the path.
    /// </summary>
    public static CommandLine Dotnet(string assembly, params string[] arguments) =>
        new(Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet", [assembly, .. arguments]);

    /// <summary>This command run by <paramref name="fileName"/> with <paramref name="leading"/> before it: <c>ip netns exec NS this</c>.</summary>
    public CommandLine RunBy(string fileName, params string[] leading) => new(fileName, [.. leading, FileName, .. Arguments]);

    /// <summary>This command with more arguments after its own.</summary>
    public CommandLine With(IEnumerable<string> more) => this with { Arguments = [.. Arguments, .. more] };

    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName));
}

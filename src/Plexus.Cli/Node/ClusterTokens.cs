using System.Security.Cryptography;

namespace Plexus.Cli.Node;

/// <summary>
/// Where each command gets the cluster token: the head makes it (or takes <c>PLEXUS_TOKEN</c>)
/// and writes it to its node directory; everything else reads it from a file or the environment.
/// </summary>
internal static class ClusterTokens
{
    // 32 random bytes: as hard to guess as any key the cluster's transport could use.
    private const int TokenBytes = 32;

    /// <summary>
    /// The head's token: <c>PLEXUS_TOKEN</c> when set, else a new random one; written to
    /// <see cref="NodeStateFiles.TokenPath"/> readable by the owner alone, for joining nodes and drivers.
    /// </summary>
    public static string CreateForHead(NodeStateFiles files, CliContext context)
    {
        var token = context.Variable(CliContext.TokenVariable) ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenBytes));
        AtomicFile.Write(files.TokenPath, token + "\n", AtomicFile.OwnerOnly);
        return token;
    }

    /// <summary>
    /// The head's read-only token: new and random at every start of the head (a URL given out
    /// stops working when the head starts again), written to <see cref="NodeStateFiles.ReadOnlyTokenPath"/>
    /// readable by the owner alone, where the control service and <c>plexus status</c> on this machine read it.
    /// </summary>
    public static string CreateReadOnlyForHead(NodeStateFiles files)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenBytes));
        AtomicFile.Write(files.ReadOnlyTokenPath, token + "\n", AtomicFile.OwnerOnly);
        return token;
    }

    /// <summary>A joining node's token: <c>--token-file</c>, else <c>PLEXUS_TOKEN</c>.</summary>
    /// <exception cref="UsageException">Neither is given, or the file cannot be read or is empty.</exception>
    public static string ReadForJoin(FileInfo? tokenFile, CliContext context) =>
        (tokenFile is not null ? ReadFile(tokenFile) : context.Variable(CliContext.TokenVariable))
        ?? throw new UsageException(
            "Joining a cluster needs its token: give --token-file FILE, or set PLEXUS_TOKEN. The head wrote it to " +
            "<temp-dir>/token on its machine (/tmp/plexus/token by default); copy that file here.");

    /// <summary>The token <c>status</c> presents: <c>--token-file</c>, else <c>PLEXUS_TOKEN</c>, else the local head's token file.</summary>
    /// <exception cref="UsageException">None is available, or the given file cannot be read or is empty.</exception>
    public static string ReadForStatus(FileInfo? tokenFile, NodeStateFiles localNode, CliContext context) =>
        (tokenFile is not null ? ReadFile(tokenFile) : context.Variable(CliContext.TokenVariable))
        ?? (File.Exists(localNode.TokenPath) ? ReadFile(new FileInfo(localNode.TokenPath)) : null)
        ?? throw new UsageException(
            $"No cluster token: give --token-file FILE or set PLEXUS_TOKEN (no head runs here: {localNode.TokenPath} does not exist).");

    /// <summary>The token in <paramref name="file"/>, trimmed.</summary>
    /// <exception cref="UsageException">The file cannot be read or is empty.</exception>
    public static string ReadFile(FileInfo file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file.FullName).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--token-file: cannot read {file.FullName}: {e.Message}", e);
        }

        return text.Length > 0 ? text : throw new UsageException($"--token-file: {file.FullName} is empty; it should hold the token the head wrote.");
    }
}

namespace Plexus.Cli.Node;

/// <summary>A node process found running from a node directory; <paramref name="Record"/> is null while it is still starting.</summary>
internal sealed record RunningNode(int Pid, NodeRecord? Record);

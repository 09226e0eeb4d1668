namespace Plexus.Cli.Node;

/// <summary>What <c>plexus start</c> prints once the node serves: where it is, and on a head how to join it and run a driver.</summary>
internal static class StartSummary
{
    public static async Task WriteAsync(NodeRecord node, NodeStateFiles files, TextWriter output)
    {
        var dir = files.Directory;
        if (node.Head)
        {
            await output.WriteLineAsync($"""
                Started the head node {node.NodeId} (pid {node.Pid}).
                  Control address: {node.ControlAddress}
                  Token file:      {files.TokenPath}
                  Logs:            {files.LogPath}

                To add a node on another machine, copy the token file there and run:
                  plexus start --address {node.ControlAddress} --token-file {files.TokenPath}
                To run a driver on this cluster:
                  PLEXUS_ADDRESS={node.ControlAddress} PLEXUS_TOKEN=$(cat {files.TokenPath}) dotnet run --project YOUR_PROGRAM
                To see the cluster: plexus status    To stop this node: plexus stop --temp-dir {dir}
                """).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync($"""
                Started node {node.NodeId} (pid {node.Pid}), joined the cluster at {node.ControlAddress}.
                  Peers reach it at: {node.NodeAddress}
                  Logs:              {files.LogPath}
                To stop this node: plexus stop --temp-dir {dir}
                """).ConfigureAwait(false);
        }
    }
}

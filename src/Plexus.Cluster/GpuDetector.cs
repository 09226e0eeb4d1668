using System.Diagnostics;

namespace Plexus.Cluster;

/// <summary>
/// How many GPUs this machine has, as <c>nvidia-smi</c> on the PATH lists them (one line per GPU);
/// 0 when it is not installed or fails. A node offers them as its <c>GPU</c> resource unless
/// <c>--resources</c> says otherwise.
/// </summary>
internal static class GpuDetector
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static int Count()
    {
        var start = new ProcessStartInfo("nvidia-smi")
        {
            ArgumentList = { "--query-gpu=name", "--format=csv,noheader" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return 0;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Patience))
            {
                process.Kill(entireProcessTree: true);
                return 0;
            }

            return process.ExitCode == 0 ? output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length : 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not installed.
            return 0;
        }
    }
}

using System.Net;
using Microsoft.Extensions.Options;
using Plexus.Control.Storage;

namespace Plexus.Control.Server.Hosting;

/// <summary>
/// Checks <see cref="ControlServerOptions"/> before anything listens: one sentence per bad option,
/// naming it and saying what to use instead.
/// </summary>
internal sealed class ControlServerOptionsValidator : IValidateOptions<ControlServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ControlServerOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IEnumerable<string> Problems(ControlServerOptions options)
    {
        if (string.IsNullOrEmpty(options.ClusterToken))
        {
            yield return "ClusterToken is empty: set it to the cluster's shared secret, which every node and driver must present.";
        }

        if (!string.IsNullOrEmpty(options.ReadOnlyToken) && options.ReadOnlyToken == options.ClusterToken)
        {
            yield return "ReadOnlyToken is the cluster token: make it a secret of its own, or leave it null for none.";
        }

        if (options.DashboardPort is < 0 or > IPEndPoint.MaxPort)
        {
            yield return $"DashboardPort is {options.DashboardPort}: use 0 (no dashboard) or the dashboard's port, 1 to {IPEndPoint.MaxPort}.";
        }

        if (options.ListenAddress is null)
        {
            yield return "ListenAddress is null: use IPAddress.Loopback (this machine only) or the interface other machines reach.";
        }

        if (options.Port is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
        {
            yield return $"Port is {options.Port}: use 0 (the system picks a free port) or a port from 1 to {IPEndPoint.MaxPort}.";
        }

        if (!ControlStorage.TryParse(options.Storage, out _, out string? storageProblem))
        {
            yield return $"Storage: {storageProblem}";
        }

        foreach (string problem in options.ToServiceSettings().Problems())
        {
            yield return problem;
        }
    }
}

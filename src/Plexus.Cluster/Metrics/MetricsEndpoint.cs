using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Plexus.Node;

namespace Plexus.Cluster;

/// <summary>
/// Serves the metrics of this process's nodes (the meter <see cref="NodeMetrics.MeterName"/>) in
/// Prometheus's text format at <c>http://ADDRESS:PORT/metrics</c>: an OpenTelemetry
/// <c>MeterProvider</c> with the Prometheus exporter on an <see cref="HttpListener"/> (a node
/// process is not an ASP.NET Core host). It listens to the meter by name, so a node started
/// again in this process (a fenced node's replacement) is served without a new endpoint. Between
/// scrapes the node pays only for the scheduling-latency histogram's recordings: every other
/// instrument is observable, read when scraped.
/// </summary>
internal sealed class MetricsEndpoint : IDisposable
{
    private readonly MeterProvider _provider;

    private MetricsEndpoint(MeterProvider provider, Uri url)
    {
        _provider = provider;
        Url = url;
    }

    /// <summary>Where the metrics are served, <c>http://ADDRESS:PORT/metrics</c>.</summary>
    public Uri Url { get; }

    /// <summary>
    /// Starts serving on <paramref name="address"/>:<paramref name="port"/>. Throws
    /// <see cref="MetricsPortUnavailableException"/> when the port cannot be bound (in use, or
    /// not this machine's address), naming it and what to do.
    /// </summary>
    public static MetricsEndpoint Start(IPAddress address, int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        try
        {
            var provider = Sdk.CreateMeterProviderBuilder()
                .AddMeter(NodeMetrics.MeterName)
                .AddPrometheusHttpListener(options =>
                {
                    options.Host = host;
                    options.Port = port;
                })
                .Build();
            return new MetricsEndpoint(provider, new Uri($"http://{host}:{port}/metrics"));
        }
        catch (InvalidOperationException e) when (e.InnerException is HttpListenerException refused)
        {
            // The exporter wraps the listener's refusal in an exception that names neither the address nor the flag.
            throw new MetricsPortUnavailableException(
                $"The metrics port {host}:{port} could not be bound ({refused.Message}). Give --metrics-port a free port, or 0 to serve no metrics.", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _provider.Dispose();
}

namespace Plexus.Control.Service;

/// <summary>The options the gRPC service needs at call time, fixed when the server starts.</summary>
internal sealed record ControlServiceSettings(TimeSpan HeartbeatInterval);

namespace Plexus.ClusterHosting;

/// <summary>The fixture could not build (or take down) the network its nodes run on.</summary>
internal sealed class NetworkSetupException(string message, Exception? inner = null) : Exception(message, inner);

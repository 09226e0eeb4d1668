namespace Plexus.Data.Sources;

/// <summary>How many rows a source pushes per call into its sink, and checks for cancellation between.</summary>
internal static class SourceBatch
{
    public const int Rows = 4096;
}

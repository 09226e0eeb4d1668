namespace Plexus.Samples.Sort;

/// <summary>The sort itself: the gensort files of one folder, sorted by key into files of another.</summary>
internal static class SortStep
{
    /// <summary>
    /// Sorts the records of the files in <paramref name="inputDirectory"/> by key into files in
    /// <paramref name="outputDirectory"/>, whose names in ordinal order give the records in order.
    /// </summary>
    public static Task RunAsync(PlexusRuntime plexus, string inputDirectory, string outputDirectory, IProgress<string>? progress, CancellationToken cancellationToken) =>
        throw new NotImplementedException("The sort step is not written yet.");
}

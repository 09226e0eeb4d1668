using Plexus.Data;

namespace Plexus.Samples.Sort;

/// <summary>The sort itself, on Plexus.Data: the gensort files of one folder, sorted by key into files of another.</summary>
internal static class SortStep
{
    /// <summary>
    /// Sorts the records of the files in <paramref name="inputDirectory"/> by key into files in
    /// <paramref name="outputDirectory"/>, whose names in ordinal order give the records in order,
    /// showing each stage's progress and the run's summary.
    /// </summary>
    public static Task<WriteResult> RunAsync(PlexusRuntime plexus, string inputDirectory, string outputDirectory, CancellationToken cancellationToken) =>
        DataProgressView.ShowAsync(progress =>
            plexus.Data(new DataOptions { TargetBlockBytes = 64L << 20, Progress = progress })
                .ReadRecords<GensortRecord>(inputDirectory)
                .OrderBy(static r => r.Key)
                .WriteRecordsAsync(outputDirectory, cancellationToken: cancellationToken));
}

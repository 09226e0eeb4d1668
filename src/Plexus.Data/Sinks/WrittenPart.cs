namespace Plexus.Data.Sinks;

/// <summary>
/// A block's file, written and renamed into the run's temporary directory: what the write task
/// returns to the driver for the job commit.
/// </summary>
internal sealed record WrittenPart(int Block, string FileName, long Rows, long Bytes);

using Plexus.Data.Sinks;

namespace Plexus.Data;

/// <summary>Writes that need more of the row type than <see cref="Dataset{T}"/> asks for.</summary>
public static class DatasetWrites
{
    /// <summary>
    /// Writes the rows as Parquet, one file per block and one row group per file (columns by
    /// property name); see <see cref="Dataset{T}.WriteTextAsync"/> for what appears when.
    /// </summary>
    public static Task<WriteResult> WriteParquetAsync<T>(this Dataset<T> data, string directory, WriteOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        return FileWrite.RunAsync(data.Context, data.BlockExactPlan, directory, new ParquetFormat<T>(), options, cancellationToken);
    }

    /// <summary>
    /// Writes the rows as fixed-size binary records (the layout of <typeparamref name="T"/> in memory),
    /// one file per block, readable with <see cref="DataContext.ReadRecords{T}"/>; see
    /// <see cref="Dataset{T}.WriteTextAsync"/> for what appears when.
    /// </summary>
    public static Task<WriteResult> WriteRecordsAsync<T>(this Dataset<T> data, string directory, WriteOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FileWrite.RunAsync(data.Context, data.BlockExactPlan, directory, new RecordFormat<T>(), options, cancellationToken);
    }
}

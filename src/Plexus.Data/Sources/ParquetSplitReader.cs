using System.Runtime.InteropServices;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using Plexus.Data.Operators;

namespace Plexus.Data.Sources;

/// <summary>
/// Reads the row groups of a Parquet split into rows of a class with Parquet.Net's serializer
/// (public properties are columns, matched by name), after checking that the file's columns fit the class.
/// </summary>
/// <remarks>
/// The serializer alone leaves a property at its default when the file lacks its column; the check
/// turns that, a type that differs and a nullability that differs into a <see cref="DataFormatException"/>
/// naming the column, before any row is pushed.
/// </remarks>
internal static class ParquetSplitReader
{
    /// <summary>Pushes the rows of the split's row groups into <paramref name="sink"/>, in batches of <see cref="SourceBatch.Rows"/>, at most <paramref name="rowLimit"/> of them.</summary>
    /// <returns>The number of rows pushed.</returns>
    /// <exception cref="DataFormatException">A column of <typeparamref name="T"/> is missing from the file or differs in type or nullability, or a row group cannot be decoded; names the column (when known) and the row group.</exception>
    /// <exception cref="ArgumentException">The split is not in row groups, or names row groups the file does not have.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<long> ReadAsync<T>(SourceSplit split, IBatchSink<T> sink, long rowLimit, CancellationToken cancellationToken)
        where T : class, new()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowLimit);
        var stream = new FileStream(split.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            var rowGroups = await CheckSchemaAsync<T>(stream, split, cancellationToken).ConfigureAwait(false);
            if (split.Unit != SplitUnit.RowGroups || split.Start < 0 || split.End > rowGroups)
            {
                throw new ArgumentException($"The split is not a range of the {rowGroups} row groups of the file: {split.Describe()}.", nameof(split));
            }

            long rows = 0;
            for (var group = (int)split.Start; group < split.End && rows < rowLimit; group++)
            {
                var data = await DeserializeAsync<T>(stream, split.Path, group, cancellationToken).ConfigureAwait(false);
                rows += PushInBatches(data, sink, rowLimit - rows, cancellationToken);
            }

            return rows;
        }
    }

    private static async Task<int> CheckSchemaAsync<T>(Stream stream, SourceSplit split, CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fileFields = new Dictionary<string, DataField>(StringComparer.Ordinal);
            foreach (var field in reader.Schema.GetDataFields())
            {
                fileFields[field.Path.ToString()] = field;
            }

            foreach (var wanted in typeof(T).GetParquetSchema(forWriting: false).GetDataFields())
            {
                var column = wanted.Path.ToString();
                var reason = !fileFields.TryGetValue(column, out var found)
                    ? $"the file has no column '{column}', which {typeof(T).Name} reads"
                    : Mismatch(found, wanted);
                if (reason is not null)
                {
                    throw new DataFormatException(split.Path, reason, rowGroup: (int)split.Start, column: column);
                }
            }

            return reader.RowGroupCount;
        }
    }

    private static string? Mismatch(DataField found, DataField wanted)
    {
        if (found.ClrType != wanted.ClrType || found.IsArray != wanted.IsArray)
        {
            return $"the column holds {Describe(found)} and the row type's {wanted.Name} is {Describe(wanted)}; declare the property with the column's type";
        }

        if (found.IsNullable != wanted.IsNullable)
        {
            return found.IsNullable
                ? $"the column may hold nulls and the row type's {wanted.Name} cannot; declare it nullable"
                : $"the column holds no nulls and the row type's {wanted.Name} is nullable; declare it without '?'";
        }

        return null;
    }

    private static string Describe(DataField field) => field.IsArray ? $"arrays of {field.ClrType.Name}" : field.ClrType.Name;

    private static async Task<IList<T>> DeserializeAsync<T>(Stream stream, string path, int group, CancellationToken cancellationToken)
        where T : class, new()
    {
        try
        {
            stream.Position = 0;
            var result = await ParquetSerializer.DeserializeAsync<T>(stream, options: null, group, cancellationToken).ConfigureAwait(false);
            return result.Data;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidCastException or ParquetException or NotSupportedException)
        {
            throw new DataFormatException(path, $"the row group cannot be read as {typeof(T).Name}: {e.Message}", rowGroup: group, innerException: e);
        }
    }

    private static long PushInBatches<T>(IList<T> data, IBatchSink<T> sink, long rowLimit, CancellationToken cancellationToken)
    {
        var count = (int)Math.Min(data.Count, rowLimit);
        ReadOnlySpan<T> rows = data is List<T> list ? CollectionsMarshal.AsSpan(list) : data.ToArray();
        for (var offset = 0; offset < count; offset += SourceBatch.Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sink.Push(rows.Slice(offset, Math.Min(SourceBatch.Rows, count - offset)));
        }

        return count;
    }
}

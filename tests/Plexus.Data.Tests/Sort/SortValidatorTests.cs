using System.Runtime.InteropServices;
using Plexus.Samples.Sort;

namespace Plexus.Data.Tests.Sort;

public sealed class SortValidatorTests
{
    private const ulong Seed = 3;

    [Fact]
    public void GeneratedThenSortedRecordsValidate()
    {
        var rows = Generate(20_000);
        var before = RecordChecksum.Of(rows);
        Assert.False(Validate(rows).IsSorted);

        Array.Sort(rows, (a, b) => a.Key.CompareTo(b.Key));
        var after = Validate(rows);

        Assert.True(after.IsSorted);
        Assert.Equal(before, after.Checksum);
        Assert.Equal(20_000, after.Checksum.Records);
        Assert.Equal(rows[0].Key, after.FirstKey);
        Assert.Equal(rows[^1].Key, after.LastKey);
    }

    [Fact]
    public void OutOfOrderPairIsReportedAtItsPosition()
    {
        var rows = SortedRecords(1_000);
        (rows[600], rows[601]) = (rows[601], rows[600]);

        var result = Validate(rows);

        Assert.False(result.IsSorted);
        Assert.Equal(601, result.FirstUnorderedRecord);
    }

    [Fact]
    public void OutOfOrderPairAcrossBatchesIsReported()
    {
        var rows = SortedRecords(1_000);
        (rows[499], rows[500]) = (rows[500], rows[499]);

        var validator = new SortValidator();
        validator.Add(rows.AsSpan(0, 500));
        validator.Add(rows.AsSpan(500));

        Assert.Equal(500, validator.Result.FirstUnorderedRecord);
    }

    [Fact]
    public void DroppedRecordChangesTheChecksum()
    {
        var rows = SortedRecords(1_000);
        var expected = RecordChecksum.Of(rows);

        var result = Validate([.. rows[..300], .. rows[301..]]);

        Assert.True(result.IsSorted);
        Assert.NotEqual(expected, result.Checksum);
        Assert.Equal(999, result.Checksum.Records);
    }

    [Fact]
    public void ChangedPayloadByteChangesTheRecordSumButNotTheKeySum()
    {
        var rows = SortedRecords(1_000);
        var expected = RecordChecksum.Of(rows);
        MemoryMarshal.AsBytes(rows.AsSpan(400, 1))[70] ^= 0x01;

        var result = Validate(rows);

        Assert.True(result.IsSorted);
        Assert.Equal(expected.Records, result.Checksum.Records);
        Assert.Equal(expected.KeySum, result.Checksum.KeySum);
        Assert.NotEqual(expected.RecordSum, result.Checksum.RecordSum);
    }

    [Fact]
    public void EqualKeysAreCountedAsDuplicatesAndStayInOrder()
    {
        var rows = SortedRecords(100);
        rows[51] = new GensortRecord(rows[50].Key, rows[51].Payload);

        var result = Validate(rows);

        Assert.True(result.IsSorted);
        Assert.Equal(1, result.DuplicateKeys);
    }

    [Fact]
    public void PartsValidatedApartCombineAsTheWhole()
    {
        var rows = SortedRecords(3_000);
        rows[2_000] = new GensortRecord(rows[1_999].Key, rows[2_000].Payload);
        var whole = Validate(rows);

        var combined = Validate(rows[..1_000]).Then(SortValidation.Empty).Then(Validate(rows[1_000..2_000])).Then(Validate(rows[2_000..]));

        Assert.Equal(whole, combined);
        Assert.Equal(1, combined.DuplicateKeys);
    }

    [Fact]
    public void PartsOutOfOrderAtTheirBoundaryAreReported()
    {
        var rows = SortedRecords(2_000);

        var combined = Validate(rows[1_000..]).Then(Validate(rows[..1_000]));

        Assert.Equal(1_000, combined.FirstUnorderedRecord);
        Assert.Equal(RecordChecksum.Of(rows), combined.Checksum);
    }

    [Fact]
    public void ChecksumsOfPartsAddUpToTheWhole()
    {
        var rows = Generate(5_000);
        Assert.Equal(RecordChecksum.Of(rows), RecordChecksum.Of(rows.AsSpan(0, 1_234)) + RecordChecksum.Of(rows.AsSpan(1_234)));
    }

    [Fact]
    public void GeneratedFilesSortedIntoNewFilesValidate()
    {
        using var temp = new TempDirectory();
        var input = Path.Combine(temp.Path, "input");
        var output = Path.Combine(temp.Path, "output");
        const long Records = 25_000;

        // Files of 7,000 records: the last one is shorter.
        var generated = GensortFiles.Write(input, Records, fileBytes: 7_000 * GensortRecord.Size, Seed, CancellationToken.None);
        var inputFiles = GensortFiles.List(input);
        Assert.Equal(4, inputFiles.Count);
        Assert.Equal(generated, Checksum(inputFiles));
        Assert.Equal(RecordChecksum.Of(Generate(Records)), generated);

        var rows = inputFiles.SelectMany(File.ReadAllBytes).ToArray();
        var records = MemoryMarshal.Cast<byte, GensortRecord>(rows).ToArray();
        Array.Sort(records, (a, b) => a.Key.CompareTo(b.Key));
        Directory.CreateDirectory(output);
        File.WriteAllBytes(Path.Combine(output, "part-0"), MemoryMarshal.AsBytes(records.AsSpan(0, 10_000)));
        File.WriteAllBytes(Path.Combine(output, "part-1"), MemoryMarshal.AsBytes(records.AsSpan(10_000)));
        File.WriteAllText(Path.Combine(output, "_SUCCESS"), "");

        var result = SortValidator.ValidateFiles(GensortFiles.List(output), CancellationToken.None);

        Assert.True(result.IsSorted);
        Assert.Equal(generated, result.Checksum);
    }

    [Fact]
    public void FileOfPartialRecordIsReportedByName()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "part-00000");
        File.WriteAllBytes(path, new byte[250]);

        var error = Assert.Throws<GensortFormatException>(() => SortValidator.ValidateFiles([path], CancellationToken.None));

        Assert.Equal(path, error.Path);
        Assert.Contains("250 bytes", error.Message, StringComparison.Ordinal);
    }

    private static RecordChecksum Checksum(IReadOnlyList<string> files)
    {
        var total = default(RecordChecksum);
        foreach (var file in files)
        {
            foreach (var batch in GensortFiles.Read(file, CancellationToken.None))
            {
                total += RecordChecksum.Of(batch.Span);
            }
        }

        return total;
    }

    private static GensortRecord[] Generate(long records)
    {
        var rows = new GensortRecord[records];
        GensortGenerator.Fill(0, rows, Seed);
        return rows;
    }

    private static GensortRecord[] SortedRecords(int records)
    {
        var rows = Generate(records);
        Array.Sort(rows, (a, b) => a.Key.CompareTo(b.Key));
        return rows;
    }

    private static SortValidation Validate(ReadOnlySpan<GensortRecord> rows)
    {
        var validator = new SortValidator();
        validator.Add(rows);
        return validator.Result;
    }
}

namespace Plexus.Samples.Sort;

/// <summary>
/// A file that should hold gensort records does not: its length is not a whole number of
/// 100-byte records (it is another kind of file, or it was cut short).
/// </summary>
internal sealed class GensortFormatException(string path, long length)
    : IOException($"'{path}' is {length} bytes long, which is not a whole number of {GensortRecord.Size}-byte records: it is not a file of gensort records, or it was cut short. Remove it from the folder, or make it again.")
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plexus.Data.Files;

/// <summary>One file a committed run wrote: its name in the output directory, its rows (null when not known) and bytes.</summary>
internal sealed record ManifestFile(string Name, long? Rows, long Bytes);

/// <summary>
/// The <c>_SUCCESS</c> file of an output directory: written last by a job commit, it says the run
/// finished and lists every file the directory's dataset is made of. Readers read exactly these
/// files, so a half-finished later run or a stray file is never read as data.
/// </summary>
internal sealed record SuccessManifest(string RunId, string? NodeId, IReadOnlyList<ManifestFile> Files)
{
    public const string FileName = "_SUCCESS";

    public long Rows
    {
        get
        {
            long rows = 0;
            foreach (var file in Files)
            {
                rows += file.Rows ?? 0;
            }

            return rows;
        }
    }

    public long Bytes
    {
        get
        {
            long bytes = 0;
            foreach (var file in Files)
            {
                bytes += file.Bytes;
            }

            return bytes;
        }
    }

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>Reads the manifest of <paramref name="directory"/>, or null when it has none.</summary>
    /// <exception cref="DataFormatException">The manifest exists but is not one this library wrote.</exception>
    public static SuccessManifest? TryRead(string directory)
    {
        var path = PathIn(directory);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        // A zero-length _SUCCESS is Hadoop's marker without a list: the directory's visible files are the data.
        if (json.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, ManifestJson.Default.SuccessManifest)
                ?? throw new DataFormatException(path, "the manifest is the JSON null");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"the manifest is not valid JSON ({e.Message}); delete it to read every visible file of the directory", innerException: e);
        }
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ManifestJson.Default.SuccessManifest);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SuccessManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;

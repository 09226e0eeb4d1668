using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Plexus.Control.Storage;

/// <summary>
/// Where the control service keeps its tables, parsed from <see cref="ControlServerOptions.Storage"/>:
/// <c>memory</c>, <c>file://DIR</c> or a plain directory path, or <c>redis://host:port[/db]</c>.
/// </summary>
internal abstract record ControlStorage
{
    /// <summary>The text for <see cref="InMemory"/>, the default.</summary>
    public const string MemoryText = "memory";

    /// <summary>The accepted forms, for messages.</summary>
    public const string Forms = "'memory', 'file://DIR' or a directory path, or 'redis://host:port[/db]'";

    private const string FilePrefix = "file://";
    private const int DefaultRedisPort = 6379;

    private ControlStorage()
    {
    }

    /// <summary>Where application packages go when no package directory is set: beside durable tables, so packages outlive the service as they do; null for a temporary directory.</summary>
    public virtual string? DefaultPackageDirectory => null;

    /// <summary>Where submitted jobs' output goes: beside durable tables, per cluster as they are; null to keep it in memory.</summary>
    public virtual string? JobOutputDirectory(ulong clusterId) => null;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong and what to give.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ControlStorage? storage, [NotNullWhen(false)] out string? problem)
    {
        storage = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = $"The storage is empty: give {Forms}.";
        }
        else if (string.Equals(text, MemoryText, StringComparison.OrdinalIgnoreCase))
        {
            storage = new InMemory();
        }
        else if (text.StartsWith(FilePrefix, StringComparison.OrdinalIgnoreCase))
        {
            storage = FileDirectory.From(text[FilePrefix.Length..], text, out problem);
        }
        else if (text.Contains("://", StringComparison.Ordinal))
        {
            storage = Redis.From(text, out problem);
        }
        else
        {
            storage = FileDirectory.From(text, text, out problem);
        }

        return storage is not null;
    }

    /// <summary>State lives as long as the service.</summary>
    public sealed record InMemory : ControlStorage;

    /// <summary>One file per key under <paramref name="Directory"/> (an absolute path).</summary>
    public sealed record FileDirectory(string Directory) : ControlStorage
    {
        public override string DefaultPackageDirectory => Path.Combine(Directory, "packages");

        public override string JobOutputDirectory(ulong clusterId) =>
            Path.Combine(Directory, clusterId.ToString("x16", CultureInfo.InvariantCulture), "job-output");

        internal static FileDirectory? From(string path, string text, out string? problem)
        {
            problem = string.IsNullOrWhiteSpace(path) ? $"The storage '{text}' names no directory: give file://DIR or a directory path." : null;
            return problem is null ? new FileDirectory(Path.GetFullPath(path)) : null;
        }
    }

    /// <summary>A hash per table in database <paramref name="Database"/> of the Redis server at <paramref name="Host"/>:<paramref name="Port"/>.</summary>
    public sealed record Redis(string Host, int Port, int Database) : ControlStorage
    {
        internal static Redis? From(string text, out string? problem)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "redis" || uri.Host.Length == 0)
            {
                problem = $"The storage '{text}' is not {Forms}.";
                return null;
            }

            if (uri.UserInfo.Length > 0)
            {
                problem = $"The storage '{text}' holds credentials: give the Redis password in the {RedisControlStore.PasswordVariable} environment variable instead.";
                return null;
            }

            string database = uri.AbsolutePath.TrimStart('/');
            int number = 0;
            if (uri.Query.Length > 0 || uri.Fragment.Length > 0
                || (database.Length > 0 && !int.TryParse(database, NumberStyles.None, CultureInfo.InvariantCulture, out number)))
            {
                problem = $"The storage '{text}' is not redis://host:port[/db] with db a database number (0 or more).";
                return null;
            }

            problem = null;
            return new Redis(uri.DnsSafeHost, uri.IsDefaultPort ? DefaultRedisPort : uri.Port, number);
        }
    }
}

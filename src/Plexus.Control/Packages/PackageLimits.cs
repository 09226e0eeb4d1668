namespace Plexus.Control.Packages;

/// <summary>How large a package may be: checked when a driver scans its folder and again by the control service.</summary>
/// <param name="MaxFiles">The most files one package may hold. Default 100 000.</param>
/// <param name="MaxTotalBytes">The most bytes all files of a package may hold together, and so one blob. Default 2 GiB.</param>
internal sealed record PackageLimits(int MaxFiles, long MaxTotalBytes)
{
    /// <summary>100 000 files and 2 GiB: far above a published .NET application, low enough to stop a folder chosen by mistake (a home directory).</summary>
    public static PackageLimits Default { get; } = new(100_000, 2L << 30);

    /// <summary>What is wrong with these limits, one sentence per problem; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxFiles <= 0)
        {
            yield return $"PackageLimits.MaxFiles is {MaxFiles}: it must be positive.";
        }

        if (MaxTotalBytes <= 0)
        {
            yield return $"PackageLimits.MaxTotalBytes is {MaxTotalBytes}: it must be positive.";
        }
    }
}

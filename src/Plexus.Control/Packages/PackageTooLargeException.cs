namespace Plexus.Control.Packages;

/// <summary>
/// An application folder holds more files or bytes than a package may (<see cref="PackageLimits"/>):
/// the folder is probably not the application's output folder, or the output holds more than the
/// program needs. The message names the folder and the limit.
/// </summary>
internal sealed class PackageTooLargeException : Exception
{
    public PackageTooLargeException(string message)
        : base(message)
    {
    }
}

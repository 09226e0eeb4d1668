namespace Plexus.Control.Packages;

/// <summary>One file of a package: where it goes in the package's folder and which blob holds its content.</summary>
/// <param name="Path">Relative to the package's folder, '/'-separated, without '.' or '..' segments.</param>
/// <param name="Size">The content's length in bytes.</param>
/// <param name="Sha256">SHA-256 of the content, 64 lower-case hex digits: the name of its blob.</param>
internal sealed record PackageFile(string Path, long Size, string Sha256);

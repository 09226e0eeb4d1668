namespace Plexus.Control.Packages;

/// <summary>A file's content hash as a scan found it, with the stamp the file had when it was hashed.</summary>
/// <param name="Stamp">The file's stamp, listed before it was read.</param>
/// <param name="Sha256">SHA-256 of the content, 64 lower-case hex digits.</param>
internal readonly record struct KnownHash(FileStamp Stamp, string Sha256);

using Proto = Plexus.Protocol.Control;

namespace Plexus.Control.Packages;

/// <summary>Translations between <see cref="PackageManifest"/> and the protocol's messages, shared by the clients and the service.</summary>
internal static class PackageMessages
{
    public static Proto.RegisterPackageRequest ToRequest(PackageManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var request = new Proto.RegisterPackageRequest();
        request.Files.AddRange(manifest.Files.Select(ToProto));
        return request;
    }

    public static Proto.GetPackageManifestReply ToReply(PackageManifest manifest)
    {
        var reply = new Proto.GetPackageManifestReply { PackageId = manifest.Id };
        reply.Files.AddRange(manifest.Files.Select(ToProto));
        return reply;
    }

    /// <summary>Builds the manifest a reply carries and checks that it is the one asked for.</summary>
    /// <exception cref="InvalidDataException">The files do not give <paramref name="packageId"/>: the service's copy is damaged.</exception>
    public static PackageManifest ToManifest(Proto.GetPackageManifestReply reply, string packageId)
    {
        var manifest = FromProto(reply.Files);
        if (!string.Equals(manifest.Id, packageId, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"The control service answered package {packageId} with a manifest whose id is {manifest.Id}: its copy is damaged. Upload the application again.");
        }

        return manifest;
    }

    /// <exception cref="ArgumentException">An entry is malformed; the message names it.</exception>
    public static PackageManifest FromProto(IEnumerable<Proto.PackageFile> files) =>
        PackageManifest.Create(files.Select(f => new PackageFile(f.Path, f.Size, f.Sha256)));

    private static Proto.PackageFile ToProto(PackageFile file) => new() { Path = file.Path, Size = file.Size, Sha256 = file.Sha256 };
}

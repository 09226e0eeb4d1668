using Plexus.Data.Files;

namespace Plexus.Data.Tests.IO;

public sealed class LocalityTests
{
    private const string MountInfo = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        27 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        40 27 0:50 / /mnt/data rw,relatime shared:20 - nfs4 fileserver:/export rw,vers=4.2
        41 40 8:17 / /mnt/data/scratch rw,relatime - xfs /dev/sdb1 rw
        42 27 0:51 / /mnt/my\040share rw - cifs //server/share rw
        43 27 0:52 / /mnt/bucket rw - fuse.s3fs s3fs rw
        """;

    [Theory]
    [InlineData("/home/me/logs", "ext4", false)]
    [InlineData("/mnt/data/logs/a.log", "nfs4", true)]
    [InlineData("/mnt/data", "nfs4", true)]
    [InlineData("/mnt/database/a.log", "ext4", false)]
    [InlineData("/mnt/data/scratch/x", "xfs", false)]
    [InlineData("/mnt/my share/x.csv", "cifs", true)]
    [InlineData("/mnt/bucket/x.parquet", "fuse.s3fs", true)]
    public void APathIsOnTheFileSystemOfItsLongestMountPoint(string path, string fileSystem, bool network)
    {
        var mounts = MountTable.Parse(MountInfo);
        Assert.Equal(fileSystem, mounts.FileSystemOf(path));
        Assert.Equal(network, mounts.IsNetworkStorage(path));
    }

    [Theory]
    [InlineData(Locality.Auto, "/mnt/data/logs/*.log", 3, Locality.Shared)]
    [InlineData(Locality.Auto, "/var/log/app", 3, Locality.NodeLocal)]
    [InlineData(Locality.Auto, "/var/log/app", 1, Locality.Shared)]
    [InlineData(Locality.NodeLocal, "/mnt/data/logs", 3, Locality.NodeLocal)]
    [InlineData(Locality.Shared, "/var/log/app", 3, Locality.Shared)]
    public void AutoIsSharedOnOneNodeOrOnNetworkStorage(Locality requested, string path, int nodes, Locality expected) =>
        Assert.Equal(expected, LocalityResolver.Resolve(requested, path, nodes, MountTable.Parse(MountInfo)));
}

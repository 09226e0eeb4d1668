namespace Plexus.Data;

/// <summary>Where the files a source reads are, and so which nodes list and read them.</summary>
public enum Locality
{
    /// <summary>
    /// The default: <see cref="Shared"/> when the cluster has one node or the path is on network
    /// storage (NFS, SMB/CIFS, Ceph, GlusterFS, Lustre, GPFS, BeeGFS, FUSE file systems, 9p,
    /// virtiofs, as <c>/proc/self/mountinfo</c> says on Linux); <see cref="NodeLocal"/> otherwise.
    /// </summary>
    Auto = 0,

    /// <summary>
    /// Every node sees the same files at the path: the driver lists them once, and any node reads
    /// any split.
    /// </summary>
    Shared = 1,

    /// <summary>
    /// Each node has its own files at the path (each machine's logs): every node lists its own,
    /// and each file is read on its node. A node that dies holding unread files fails the read.
    /// </summary>
    NodeLocal = 2,
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Plexus.Protocol.Security;

/// <summary>
/// Makes and checks the <see cref="CapabilityTag"/>s of object and actor ids: HMAC-SHA256 under a
/// key derived from the cluster token, so every node of a cluster (and every runtime it admitted,
/// which all hold the token) computes the same tags, and nobody without the token can. A tag is
/// never displayed: ids are (state API, logs), which is why a displayed id alone admits nothing
/// outside its job.
/// </summary>
internal sealed class CapabilityKey
{
    // Kinds of id, so an object's tag never passes for an actor's of the same bits.
    private const byte ObjectKind = (byte)'O';
    private const byte ActorKind = (byte)'A';
    private const int IdBytes = 1 + 8 + 8 + 8 + 4;

    private readonly byte[] _key;

    private CapabilityKey(byte[] key) => _key = key;

    /// <summary>The key of the cluster whose token is <paramref name="clusterToken"/>.</summary>
    public static CapabilityKey FromClusterToken(string clusterToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterToken);
        // A key of its own, not the token: a tag never helps anyone learn the token.
        return new CapabilityKey(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clusterToken), "plexus capability tags v1"u8));
    }

    /// <summary>The tag of object <paramref name="id"/>.</summary>
    public CapabilityTag Of(ObjectId id) => Hash(ObjectKind, id.Task, id.Index);

    /// <summary>The tag of actor <paramref name="actor"/>.</summary>
    public CapabilityTag Of(TaskId actor) => Hash(ActorKind, actor, 0);

    /// <summary>True when <paramref name="tag"/> is object <paramref name="id"/>'s (compared in constant time).</summary>
    public bool Admits(ObjectId id, CapabilityTag tag) => tag.IsPresent && Equal(Of(id), tag);

    /// <summary>True when <paramref name="tag"/> is actor <paramref name="actor"/>'s (compared in constant time).</summary>
    public bool Admits(TaskId actor, CapabilityTag tag) => tag.IsPresent && Equal(Of(actor), tag);

    private CapabilityTag Hash(byte kind, TaskId task, uint index)
    {
        Span<byte> message = stackalloc byte[IdBytes];
        message[0] = kind;
        BinaryPrimitives.WriteUInt64LittleEndian(message[1..], task.Job.High);
        BinaryPrimitives.WriteUInt64LittleEndian(message[9..], task.Job.Low);
        BinaryPrimitives.WriteUInt64LittleEndian(message[17..], task.Path);
        BinaryPrimitives.WriteUInt32LittleEndian(message[25..], index);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, message, hash);
        return new CapabilityTag(BinaryPrimitives.ReadUInt64LittleEndian(hash), BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]));
    }

    private static bool Equal(CapabilityTag a, CapabilityTag b)
    {
        Span<ulong> left = [a.High, a.Low];
        Span<ulong> right = [b.High, b.Low];
        return CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(left), System.Runtime.InteropServices.MemoryMarshal.AsBytes(right));
    }
}

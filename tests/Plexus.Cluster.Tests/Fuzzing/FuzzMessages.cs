using System.Buffers;
using System.Reflection;
using MemoryPack;
using Plexus.Protocol.Messages;

namespace Plexus.Cluster.Tests.Fuzzing;

/// <summary>
/// Frame bodies made from the protocol's real messages: every type of the <see cref="Message"/>
/// union, with random values in its number, flag and text fields and a header that passes the
/// receiving node's checks (to the node itself, from the connected peer) or does not; and such a
/// message's bytes mutated (bytes flipped, cut short, garbage appended), so that the union tag and
/// the layout are right and what follows is not.
/// </summary>
internal sealed class FuzzMessages(Random random, ulong node, ulong peer)
{
    // Every concrete message type, by its union tag's order.
    private static readonly Type[] Types = typeof(Message).GetCustomAttributes<MemoryPackUnionAttribute>().Select(u => u.Type).ToArray();

    /// <summary>A real message of a random type, serialized as a node would send it.</summary>
    public byte[] WellFormed()
    {
        var message = (Message)Activator.CreateInstance(Types[random.Next(Types.Length)])!;
        foreach (var property in message.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanWrite && RandomValue(property.PropertyType) is { } value)
            {
                property.SetValue(message, value);
            }
        }

        message.Target = random.Next(4) == 0 ? new ProcessAddress(node, random.Next(-1, 8)) : ProcessAddress.NodeOf(node);
        message.Source = random.Next(4) == 0 ? new ProcessAddress(random.NextULong(), random.Next(-1, 8)) : new ProcessAddress(peer, random.Next(-1, 8));
        var body = new ArrayBufferWriter<byte>();
        MessageCodec.Instance.Write(body, message);
        return body.WrittenSpan.ToArray();
    }

    /// <summary>A real message's bytes with a few bytes changed, cut short or extended.</summary>
    public byte[] Mutated()
    {
        var bytes = WellFormed().ToList();
        for (var flips = random.Next(1, 8); flips > 0 && bytes.Count > 1; flips--)
        {
            // The union tag (byte 0) stays, so the body is read as that type.
            bytes[random.Next(1, bytes.Count)] = (byte)random.Next(256);
        }

        switch (random.Next(3))
        {
            case 0:
                bytes.RemoveRange(1, random.Next(bytes.Count - 1));
                break;
            case 1:
                bytes.AddRange(random.Bytes(1, 64));
                break;
        }

        return [.. bytes];
    }

    // A value for fields of plain types (others keep their defaults: the header is set apart).
    private object? RandomValue(Type type) =>
        type == typeof(int) ? random.Next(3) == 0 ? random.Next() - random.Next() : random.Next(-1, 16)
        : type == typeof(long) ? random.Next(3) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.NextInt64(-1, 1 << 24)
        : type == typeof(ulong) ? random.NextULong()
        : type == typeof(bool) ? random.Next(2) == 0
        : type == typeof(string) ? random.Next(4) == 0 ? null : Convert.ToBase64String(random.Bytes(0, 64))
        : type == typeof(byte[]) ? random.Bytes(0, 256)
        : null;
}

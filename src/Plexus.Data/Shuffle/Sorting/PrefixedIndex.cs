using System.Runtime.InteropServices;

namespace Plexus.Data.Shuffle;

/// <summary>A row's 8-byte key prefix and its position: what the radix passes move, 12 bytes packed.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct PrefixedIndex(ulong prefix, int index)
{
    public ulong Prefix = prefix;
    public int Index = index;
}

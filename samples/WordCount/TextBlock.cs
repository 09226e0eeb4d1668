namespace Plexus.Samples.WordCount;

/// <summary>How <see cref="TextBlock.Append(byte[], Casing)"/> writes a token's ASCII letters.</summary>
internal enum Casing
{
    AsIs,
    Capitalized,
    Upper,
}

/// <summary>A fixed-size byte buffer the corpus generator fills before each write to the file.</summary>
internal sealed class TextBlock(int capacity)
{
    private readonly byte[] _bytes = new byte[capacity];

    public int Capacity => _bytes.Length;

    /// <summary>Bytes appended since the last <see cref="Clear"/>.</summary>
    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, Length);

    public void Clear() => Length = 0;

    public void Append(byte value) => _bytes[Length++] = value;

    public void Append(ReadOnlySpan<byte> values)
    {
        values.CopyTo(_bytes.AsSpan(Length));
        Length += values.Length;
    }

    public void Append(byte[] token, Casing casing)
    {
        var start = Length;
        Append(token);
        var end = casing switch
        {
            Casing.Upper => Length,
            Casing.Capitalized => start + 1,
            _ => start,
        };
        for (var i = start; i < end; i++)
        {
            if (_bytes[i] is >= (byte)'a' and <= (byte)'z')
            {
                _bytes[i] -= 0x20;
            }
        }
    }
}

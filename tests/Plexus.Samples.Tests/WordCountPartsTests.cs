using Plexus.Samples.WordCount;

namespace Plexus.Samples.Tests;

/// <summary>The sample's building blocks, without a cluster.</summary>
public sealed class WordCountPartsTests
{
    [Fact]
    public void TokenizerSendsEveryWordToThePartitionOfItsStableHash()
    {
        var partitions = WordTokenizer.Count("The quick brown fox: THE lazy dog, the end. Über-naïve x86"u8, partitionCount: 5);

        for (var p = 0; p < partitions.Length; p++)
        {
            Assert.All(partitions[p].Keys, word => Assert.Equal(p, WordTokenizer.PartitionOf(word, 5)));
        }

        var all = partitions.SelectMany(d => d).ToDictionary(StringComparer.Ordinal);
        Assert.Equal(3, all["the"]);
        Assert.Equal(["ber", "brown", "dog", "end", "fox", "lazy", "na", "quick", "the", "ve", "x"], all.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ChunksEndAtSeparatorsAndAddUpToTheFile()
    {
        using var temp = new TempDirectory();
        var path = temp.File("corpus.txt");
        await CorpusGenerator.WriteAsync(path, 200_000, seed: 7);
        var content = await File.ReadAllBytesAsync(path);

        var chunks = new List<byte[]>();
        await foreach (var chunk in CorpusChunker.ReadChunksAsync([path], chunkBytes: 4096))
        {
            chunks.Add(chunk);
        }

        Assert.True(chunks.Count > 40, $"Expected about 50 chunks, got {chunks.Count}.");
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, 4096));
        Assert.All(chunks, c => Assert.False(WordTokenizer.Letters.Contains(c[^1]), "A chunk ends inside a word."));
        Assert.Equal(content, chunks.SelectMany(c => c).ToArray());
    }

    [Fact]
    public async Task GeneratedCorpusIsTheSameForTheSameSeed()
    {
        using var temp = new TempDirectory();
        var first = temp.File("first.txt");
        var second = temp.File("second.txt");
        var other = temp.File("other.txt");

        var size = await CorpusGenerator.WriteAsync(first, 100_000, seed: 5);
        await CorpusGenerator.WriteAsync(second, 100_000, seed: 5);
        await CorpusGenerator.WriteAsync(other, 100_000, seed: 6);

        Assert.InRange(size, 100_000, 101_000);
        Assert.Equal(size, new FileInfo(first).Length);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
        Assert.NotEqual(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(other));
    }
}

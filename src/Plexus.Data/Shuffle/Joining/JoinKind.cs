namespace Plexus.Data.Shuffle;

/// <summary>Which rows a join keeps.</summary>
internal enum JoinKind
{
    /// <summary>Only pairs of rows with equal keys.</summary>
    Inner,

    /// <summary>Pairs with equal keys, and each left row without a match once, with the default right row.</summary>
    LeftOuter,
}

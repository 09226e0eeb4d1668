namespace Plexus.Data;

/// <summary>Which rows a join keeps.</summary>
public enum JoinKind
{
    /// <summary>A row for each pair of a left and a right row with equal keys.</summary>
    Inner,

    /// <summary>As <see cref="Inner"/>, and each left row without a match once, with the right row's default (null).</summary>
    LeftOuter,
}

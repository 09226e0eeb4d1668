namespace Plexus.Core;

/// <summary>A task this runtime submitted: how many objects it returns, and the values put for it alone.</summary>
internal sealed record SubmittedTask(int ReturnCount, ObjectId[]? TransientArgs);

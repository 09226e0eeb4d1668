using Plexus.Protocol.Messages;

namespace Plexus.Core;

/// <summary>A task this runtime submitted: how many objects it returns, and the refs it holds until it finishes.</summary>
internal sealed record SubmittedTask(int ReturnCount, NestedRef[] Held);

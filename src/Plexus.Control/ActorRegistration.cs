namespace Plexus.Control;

/// <summary>The control service's answer to <see cref="ControlClient.RegisterActorAsync"/>.</summary>
/// <param name="Registered">True when the actor is now registered (and holds its name, if it has one).</param>
/// <param name="Holder">When not registered: the live actor that holds the name in that namespace.</param>
internal sealed record ActorRegistration(bool Registered, ActorInfo? Holder);

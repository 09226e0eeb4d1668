namespace Plexus.Control.Packages;

/// <summary>
/// The control service has no package or blob by that name: it was never uploaded, or the service
/// keeps its packages in another directory. Upload the application again. An
/// <see cref="InvalidOperationException"/>, as every refusal that depends on the service's state.
/// </summary>
internal sealed class PackageNotFoundException : InvalidOperationException
{
    public PackageNotFoundException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

using OpenQA.Selenium.Chrome;

namespace Plexus.Cluster.Tests;

/// <summary>
/// Debian's chromium, headless, driven through its chromium-driver by Selenium WebDriver: a real
/// browser for the dashboard's tests, with a profile of its own that goes with it.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    private const string Browser = "chromium";
    private const string Driver = "chromedriver";

    // The browser's profile (cookies, cache), removed with it.
    private readonly TempDirectory _profile;

    private HeadlessChromium(ChromeDriver driver, TempDirectory profile)
    {
        Session = driver;
        _profile = profile;
    }

    /// <summary>The browser, one window of 1400×1000.</summary>
    public ChromeDriver Session { get; }

    /// <summary>Why the browser tests cannot run here (chromium or its driver is missing), or null; under <c>CI=true</c> always null, so they fail instead.</summary>
    public static string? SkipReason() =>
        (Find(Browser) is null || Find(Driver) is null) && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal)
            ? "chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver); under CI=true the dashboard's browser tests fail instead."
            : null;

    /// <exception cref="InvalidOperationException">chromium or chromedriver is not on PATH.</exception>
    public static HeadlessChromium Start()
    {
        var browser = Find(Browser) ?? throw new InvalidOperationException($"{Browser} is not on PATH: apt-get install -y chromium chromium-driver");
        var driver = Find(Driver) ?? throw new InvalidOperationException($"{Driver} is not on PATH: apt-get install -y chromium-driver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var profile = new TempDirectory();
        var options = new ChromeOptions { BinaryLocation = browser };
        // --no-sandbox: the tests run as root, where chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000", $"--user-data-dir={profile.Path}");
        try
        {
            return new HeadlessChromium(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)), profile);
        }
        catch
        {
            profile.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Session.Quit();
        Session.Dispose();
        _profile.Dispose();
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}

using System.Text.Json;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace Plexus.Cluster.Tests;

/// <summary>
/// The head's dashboard in a real browser (headless chromium) against a live 2-node cluster: a
/// driver held at a checkpoint with finished, failed, running and infeasible tasks and a named
/// actor (the state scenario) holding a stored array, and a submitted job that printed its output. Each page is loaded and
/// checked for what it shows, and saved as a screenshot under the tests' output folder
/// (TestResults/screenshots).
/// </summary>
[Slow]
[Collection(ClusterCollection.Name)]
public sealed class DashboardBrowserTests(DashboardBrowserTests.Cluster cluster, ITestOutputHelper output)
    : IClassFixture<DashboardBrowserTests.Cluster>
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private IWebDriver Browser => cluster.Browser.Session;

    [ChromiumFact]
    public async Task TheDashboardAsksForTheTokenOnceAndThenKeepsAStrictHttpOnlySession()
    {
        Browser.Manage().Cookies.DeleteAllCookies();
        Browser.Navigate().GoToUrl(cluster.Nodes.DashboardUrl!);
        Assert.Contains("plexus status", await TextAsync("#unauthorized ~ p", "the 401 page"), StringComparison.Ordinal);
        Save("unauthorized");

        Browser.Navigate().GoToUrl(cluster.StatusUrl);

        await Eventually.TrueAsync(() => Browser.FindElements(By.Id("nav-overview")).Count == 1, "the dashboard opens");
        Assert.DoesNotContain("token=", Browser.Url, StringComparison.Ordinal);
        var session = Browser.Manage().Cookies.GetCookieNamed("plexus-dashboard");
        Assert.NotNull(session);
        Assert.True(session.IsHttpOnly);
        Assert.Equal("Strict", session.SameSite);
        Assert.DoesNotContain(session.Value, await File.ReadAllTextAsync(cluster.Nodes.ReadOnlyTokenFile), StringComparison.Ordinal);
        Assert.Equal(0L, ((IJavaScriptExecutor)Browser).ExecuteScript("return document.cookie.length"));
    }

    [ChromiumFact]
    public async Task EachPageShowsTheLiveClusterAndATaskStateChangesWithoutReloading()
    {
        Browser.Navigate().GoToUrl(cluster.StatusUrl);
        await Page("overview", "#node-count", text => text == "2", "two nodes alive");
        Assert.Equal(2L, Script("return document.querySelectorAll(\"#nodes [data-state='ALIVE']\").length;"));

        await Page("jobs", $"#submissions tr[data-key='{cluster.SubmissionId}'] [data-state]", text => text == "SUCCEEDED", "the submitted job succeeded");
        Assert.Contains(cluster.JobId, await TextAsync("#jobs", "the registered jobs"), StringComparison.Ordinal);

        await Page($"tasks?job={cluster.JobId}", "#tasks", text => text.Contains("ClusterTasks.NoteThenHold", StringComparison.Ordinal), "the held task listed");
        Assert.Equal("Running", StateInRow("#tasks", "ClusterTasks.NoteThenHold"));
        Assert.Contains("ClusterTasks.Square", await TextAsync("#tasks", "the job's tasks"), StringComparison.Ordinal);

        await Page("actors", "#actors", text => text.Contains("state-counter", StringComparison.Ordinal), "the named actor listed");
        Assert.Equal("ALIVE", StateInRow("#actors", "state-counter"));

        await Page("objects", "#stores", _ => (long?)Script("return document.querySelectorAll('#stores tbody tr[data-key]').length;") == 2, "both nodes' stores");
        await Page($"objects?job={cluster.JobId}&groupBy=Job", "#objects", text => text.Contains("ClusterTasks.Bytes", StringComparison.Ordinal), "the job's stored array");
        Assert.Equal("memory", Script(
            "const row = [...document.querySelectorAll('#objects tbody tr')].find(r => r.innerText.includes('ClusterTasks.Bytes'));" +
            "return row.querySelector('[data-location]').dataset.location;"));
        Assert.Contains(cluster.JobId, await TextAsync("#memory-groups", "the memory report by job"), StringComparison.Ordinal);

        // Objects held by their owners are listed only once asked: the driver's small put (40 000 bytes, in its own memory).
        Assert.False((bool)Script("return document.getElementById('objects-held').checked;")!);
        Assert.DoesNotContain("driver (put)", TextOrEmpty("#objects"), StringComparison.Ordinal);
        Script("document.getElementById('objects-held').click();");
        await Eventually.ValueAsync(() => TextOrEmpty("#objects"), text => text.Contains("driver (put)", StringComparison.Ordinal), "the driver's held put", TimeSpan.FromSeconds(60));
        var put = (string?)Script(
            "const row = [...document.querySelectorAll('#objects tbody tr')].find(r => r.innerText.includes('driver (put)'));" +
            "return row.querySelector('[data-location]').dataset.location + '|' + row.innerText;");
        Assert.StartsWith("inline|", put, StringComparison.Ordinal);
        Assert.Contains("driver (pid ", put, StringComparison.Ordinal);
        Assert.Contains("Held by owners", TextOrEmpty("#memory-groups thead"), StringComparison.Ordinal);
        Assert.Equal("", TextOrEmpty("#objects-silent"));
        Save("objects-held");

        // The driver's node (the head, listed first) ran the state scenario's tasks in its workers: their log files are there.
        await Page("process-logs", "#node-log-files", text => text.Contains("worker-", StringComparison.Ordinal), "a worker's log file listed");
        var workerLog = (string?)Script("return [...document.querySelectorAll('#node-log-files a')].find(a => a.textContent.startsWith('worker-')).href;");
        Browser.Navigate().GoToUrl(new Uri(workerLog!));
        await Eventually.ValueAsync(() => TextOrEmpty("#node-log-output"), text => text.Contains("joined node", StringComparison.Ordinal), "the worker log's line", TimeSpan.FromSeconds(60));
        Save("process-logs-file");

        await Page($"logs?submission={cluster.SubmissionId}", "#log-output", text => text.Contains("answer 42", StringComparison.Ordinal), "the job's output");
        Assert.StartsWith("line 1 of 3", await TextAsync("#log-output", "the job's output"), StringComparison.Ordinal);

        await Page($"timeline?job={cluster.JobId}", "#timeline", _ => (long?)Script("return document.querySelectorAll(\"#timeline rect[data-name='ClusterTasks.Square']\").length;") == 8, "the squares' spans");
        var trace = (string?)((IJavaScriptExecutor)Browser).ExecuteAsyncScript(
            "const done = arguments[arguments.length - 1]; fetch(document.getElementById('trace-download').href).then(r => r.text()).then(done);");
        Assert.NotNull(trace);
        using (var document = JsonDocument.Parse(trace))
        {
            Assert.Equal(8, document.RootElement.GetProperty("traceEvents").EnumerateArray().Count(e => e.GetProperty("name").GetString() == "ClusterTasks.Square"));
        }

        // Live: the held task finishes once the driver lets it go, and the page shows it without a reload.
        await Page($"tasks?job={cluster.JobId}", "#tasks", text => text.Contains("ClusterTasks.NoteThenHold", StringComparison.Ordinal), "the held task listed");
        Script("window.plexusTestMarker = 'not reloaded';");
        await cluster.ReleaseDriverAsync();
        await Eventually.ValueAsync(() => StateInRow("#tasks", "ClusterTasks.NoteThenHold"), state => state == "Finished", "the held task shown finished");
        Assert.Equal("not reloaded", Script("return window.plexusTestMarker;"));
        Save("tasks-live");
    }

    // Goes to a page by its link in the frame's address, waits until `selector`'s text satisfies `shows`, and saves a screenshot.
    private async Task Page(string route, string selector, Func<string, bool> shows, string what)
    {
        Browser.Navigate().GoToUrl(new Uri(cluster.Nodes.DashboardUrl!, "#" + route));
        await Eventually.ValueAsync(() => TextOrEmpty(selector), shows, what, TimeSpan.FromSeconds(60));
        Save(route.Split('?')[0]);
    }

    // Pages redraw their tables on every poll, so elements found earlier go stale: everything is
    // read in one script run, which the page's own scripts cannot interleave with.
    private object? Script(string script) => ((IJavaScriptExecutor)Browser).ExecuteScript(script);

    // The state badge of the first row of `table` whose text contains `text`; "" when there is none.
    private string StateInRow(string table, string text) => (string?)Script(
        $"const row = [...document.querySelectorAll('{table} tbody tr')].find(r => r.innerText.includes({JsonSerializer.Serialize(text)}));" +
        "return row ? row.querySelector('[data-state]').innerText : '';") ?? "";

    private Task<string> TextAsync(string selector, string what) =>
        Eventually.ValueAsync(() => TextOrEmpty(selector), text => text.Length > 0, what);

    private string TextOrEmpty(string selector) => (string?)Script(
        $"return [...document.querySelectorAll({JsonSerializer.Serialize(selector)})].map(e => e.textContent).join('\\n');") ?? "";

    private void Save(string name)
    {
        Directory.CreateDirectory(Screenshots);
        var file = Path.Combine(Screenshots, $"dashboard-{name}.png");
        ((ITakesScreenshot)Browser).GetScreenshot().SaveAsFile(file);
        output.WriteLine($"screenshot: {file}");
    }

    /// <summary>
    /// One 2-node cluster with the dashboard, a state scenario's driver held at its checkpoint, a
    /// submitted job that ran to its end, and one browser, for the class.
    /// </summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private readonly TempDirectory _directory = new();
        private TestCluster? _nodes;
        private ClusterDriverRun? _driver;
        private HeadlessChromium? _browser;

        internal TestCluster Nodes => _nodes ?? throw new InvalidOperationException("The cluster has not started.");

        internal HeadlessChromium Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

        /// <summary>The dashboard's URL as `plexus status` prints it, with the read-only token.</summary>
        public Uri StatusUrl { get; private set; } = null!;

        /// <summary>The state scenario's job id (hex).</summary>
        public string JobId { get; private set; } = "";

        /// <summary>The submitted job's id (sub-...), whose output is "line 1 of 3" ... "answer 42".</summary>
        public string SubmissionId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            if (HeadlessChromium.SkipReason() is not null)
            {
                return;
            }

            _nodes = await TestCluster.StartAsync([new() { Cpus = 2 }, new() { Cpus = 2 }], new TestClusterOptions { Dashboard = true });
            _browser = HeadlessChromium.Start();
            var submit = await PlexusAsync("submit", "--no-wait", "--working-dir", BuiltPrograms.TestDriverDirectory,
                "--env", $"PLEXUS_CACHE_DIR={Path.Combine(_directory.Path, "driver-cache")}", "--", "dotnet", "Plexus.TestDriver.dll", "submitted", "3");
            SubmissionId = submit.StandardOutput.Trim();
            _driver = ClusterDriverRun.Start(Nodes, 0, "state", []);
            await _driver.ReachedAsync("observed");
            using (var status = JsonDocument.Parse((await PlexusAsync("status", "--json")).StandardOutput))
            {
                StatusUrl = new Uri(status.RootElement.GetProperty("dashboardUrl").GetString()!);
            }

            using var jobs = JsonDocument.Parse((await PlexusAsync("list", "jobs", "--state", "running", "--json")).StandardOutput);
            JobId = jobs.RootElement.EnumerateArray().Single(j => j.GetProperty("entry").GetString()!.Contains("ClusterDriver", StringComparison.Ordinal)).GetProperty("jobId").GetString()!;
        }

        /// <summary>Lets the state scenario's driver finish its held task and end.</summary>
        public async Task ReleaseDriverAsync()
        {
            var driver = _driver ?? throw new InvalidOperationException("No driver runs.");
            driver.Go("observed");
            await File.WriteAllTextAsync(Path.Combine(driver.Directory, "release"), "");
        }

        public async Task DisposeAsync()
        {
            _browser?.Dispose();
            if (_nodes is not null)
            {
                await _nodes.DisposeAsync();
            }

            _driver?.Dispose();
            _directory.Dispose();
        }

        private async Task<CommandOutcome> PlexusAsync(params string[] args)
        {
            int separator = Array.IndexOf(args, "--");
            string[] head = ["--address", Nodes.HeadAddress, "--token-file", Nodes.TokenFile];
            string[] full = separator < 0 ? [.. args, .. head] : [.. args[..separator], .. head, .. args[separator..]];
            var outcome = await HostCommand.RunAsync(PlexusCli.Real().Command(full), TimeSpan.FromMinutes(2),
                new Dictionary<string, string> { ["PLEXUS_CACHE_DIR"] = Path.Combine(_directory.Path, "cli-cache") });
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            return outcome;
        }
    }
}

using System.Net;

namespace Plexus.Dashboard.Tests;

/// <summary>
/// Who sees the dashboard: a token in the URL once (the cluster's or the read-only one), which
/// sets an HttpOnly, SameSite=Strict session cookie and sends the browser on without the token;
/// without it every page and endpoint is a 401 that says how to get the URL.
/// </summary>
public sealed class DashboardAccessTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/assets/app.js")]
    [InlineData("/api/overview")]
    [InlineData("/api/tasks")]
    public async Task WithoutATokenOrSessionEveryPathIsRefusedSayingHowToGetTheUrl(string path)
    {
        await using var harness = await DashboardHarness.StartAsync();
        using var browser = harness.Browser();

        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("plexus status", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData(DashboardHarness.ReadOnlyToken)]
    [InlineData(DashboardHarness.ClusterToken)]
    public async Task ATokenInTheUrlSetsAStrictHttpOnlySessionCookieAndRedirectsToTheUrlWithoutIt(string token)
    {
        await using var harness = await DashboardHarness.StartAsync();
        using var browser = harness.Browser();

        using var opened = await browser.GetAsync(new Uri($"/?token={token}&view=tasks", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/?view=tasks", opened.Headers.Location!.OriginalString);
        var cookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, cookie, StringComparison.Ordinal);
        browser.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        using var page = await browser.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Plexus dashboard</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongTokenInTheUrlIsRefusedAndSetsNoCookie()
    {
        await using var harness = await DashboardHarness.StartAsync();
        using var browser = harness.Browser();

        using var response = await browser.GetAsync(new Uri("/?token=guessed", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task AForgedSessionCookieIsRefused()
    {
        await using var harness = await DashboardHarness.StartAsync();
        using var browser = harness.Browser();
        browser.DefaultRequestHeaders.Add("Cookie", "plexus-dashboard=" + new string('0', 64));

        using var response = await browser.GetAsync(new Uri("/api/overview", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AScriptMayPresentTheTokenInTheHeaderInstead()
    {
        await using var harness = await DashboardHarness.StartAsync();
        using var browser = harness.Browser();
        browser.DefaultRequestHeaders.Add("plexus-token", DashboardHarness.ReadOnlyToken);

        var overview = await DashboardHarness.JsonAsync(browser, "/api/overview");

        Assert.Equal(0, overview.GetProperty("aliveNodes").GetInt32());
    }
}

using Escalation.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Escalation.Tests.WebConsole;

/// <summary>
/// Without the development identity (as on App Service), the console offers App Service's sign-in, and a deep link from
/// an e-mail comes back to the same page after it: the post_login_redirect_uri carries the page's route.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class ConsoleSignInTests(CosmosServerFixture cosmos, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestApp _app = null!;
    private FunctionsWebHost _host = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Auth:AllowDevelopmentIdentity"] = "false" });
        _host = await FunctionsWebHost.StartAsync(_app);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("api/console#/queue/SD-1001/E1/acknowledge", "/api/console#/queue/SD-1001/E1/acknowledge")]
    [InlineData("api/console#/ticket/SD-1042", "/api/console#/ticket/SD-1042")]
    public async Task A_deep_link_survives_signing_in(string link, string back)
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(link);

        var signIn = page.GetByRole(AriaRole.Link, new() { Name = "Sign in" });
        await Expect(signIn).ToHaveAttributeAsync("href", $"/.auth/login/aad?post_login_redirect_uri={Uri.EscapeDataString(back)}");
        errors.ShouldBeEmpty();
    }
}

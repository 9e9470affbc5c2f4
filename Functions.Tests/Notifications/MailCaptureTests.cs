using System.Diagnostics;
using System.Text.Json;
using Escalation.Core.Notifications;
using Escalation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Escalation.Tests.Notifications;

/// <summary>The SendGrid sender against tools/mail-capture, the local stand-in that run-local uses to show sent mail.</summary>
public sealed class MailCaptureTests : IAsyncLifetime
{
    private readonly int _port = LocalPorts.Free();
    private Process? _capture;

    private string BaseUrl => $"http://127.0.0.1:{_port}";

    public async Task InitializeAsync()
    {
        _capture = Process.Start(new ProcessStartInfo("node", [RepositoryPaths.Combine("tools", "mail-capture", "server.js"), "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        await _capture.StandardOutput.ReadLineAsync(); // "mail-capture listening on ..."
    }

    public async Task DisposeAsync()
    {
        _capture!.Kill();
        await _capture.WaitForExitAsync();
        _capture.Dispose();
    }

    [Fact]
    public async Task Mail_sent_through_the_SendGrid_client_shows_up_in_the_capture_with_its_Message_ID()
    {
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var sender = new SendGridMailSender(services.GetRequiredService<IHttpClientFactory>(), Options.Create(new MailOptions { SendGridBaseUrl = BaseUrl }));

        await sender.SendAsync(new OutgoingMail([new MailRecipient("lee.park@example.edu", "Lee Park")], [new MailRecipient("cio@example.edu")],
            "[SD-1001] Escalation", "Please follow up.", "<SD-1001.sla.lead-desk@escalation.example.edu>"));

        using var http = new HttpClient();
        using var messages = JsonDocument.Parse(await http.GetStringAsync($"{BaseUrl}/messages"));
        var mail = messages.RootElement.EnumerateArray().Single();
        mail.GetProperty("to").GetString().ShouldBe("Lee Park <lee.park@example.edu>");
        mail.GetProperty("cc").GetString().ShouldBe("cio@example.edu");
        mail.GetProperty("subject").GetString().ShouldBe("[SD-1001] Escalation");
        mail.GetProperty("messageId").GetString().ShouldBe("<SD-1001.sla.lead-desk@escalation.example.edu>");
        (await http.GetStringAsync(BaseUrl)).ShouldContain("[SD-1001] Escalation");
    }

    [Fact]
    public async Task A_refused_mail_is_an_exception_so_the_activity_retries()
    {
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var sender = new SendGridMailSender(services.GetRequiredService<IHttpClientFactory>(),
            Options.Create(new MailOptions { SendGridBaseUrl = BaseUrl + "/no-such-api" }));

        await Should.ThrowAsync<MailNotSentException>(() => sender.SendAsync(
            new OutgoingMail([new MailRecipient("a@example.edu")], [], "s", "t", "<m@x>")));
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Escalation.Benchmarks;

/// <summary>One e-mail as the SendGrid stand-in received it, with the time it arrived.</summary>
internal sealed record CapturedMail(DateTimeOffset ReceivedAt, string Subject, IReadOnlyList<string> To);

/// <summary>
/// A SendGrid v3 stand-in on 127.0.0.1 (Kestrel: HTTP/1.1 with keep-alive, like the real API) that accepts every
/// mail with 202 and records when it arrived.
/// </summary>
internal sealed class MailCapture : IAsyncDisposable
{
    private readonly ConcurrentQueue<CapturedMail> _mails = new();
    private readonly WebApplication _app;

    private MailCapture(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public IReadOnlyList<CapturedMail> Mails => [.. _mails];

    public int Count => _mails.Count;

    public static async Task<MailCapture> StartAsync(CancellationToken cancellationToken)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var capture = new MailCapture(app, $"http://127.0.0.1:{port}");
        app.MapPost("/v3/mail/send", capture.ReceiveAsync);
        await app.StartAsync(cancellationToken);
        return capture;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        var root = json.RootElement;
        var to = root.GetProperty("personalizations")[0].GetProperty("to").EnumerateArray()
            .Select(a => a.GetProperty("email").GetString()!).ToList();
        _mails.Enqueue(new CapturedMail(receivedAt, root.GetProperty("subject").GetString()!, to));
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Escalation.Tests.Channels;

/// <summary>
/// Mutated Inbound Parse posts (fixed seed, so a failure reproduces) through the real e-mail webhook: random and huge
/// field values, control characters, broken JSON in charsets / attachment-info / envelope, odd spam scores, charsets,
/// SPF/DKIM values and headers, truncated multipart bodies. Every answer is 2xx or a problem+json 4xx, and whatever
/// is refused (4xx, ignored, quarantined) or a duplicate opens no ticket.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class EmailWebhookFuzzTests(CosmosServerFixture cosmos, ITestOutputHelper output)
{
    private const int Seed = 20_261_128;
    private const int Cases = 300;
    private const string Secret = "fuzz-secret";

    private static readonly string[] Fields =
        ["from", "to", "cc", "subject", "text", "html", "headers", "envelope", "spam_score", "attachment-info", "SPF", "dkim", "charsets", "sender_ip", "x-unknown"];

    private static readonly string[] Fragments =
        ["\r\n", "\n", "\r", "\0", "\u0007", "\u2028", "\u2029", "\u0085", "<", ">", "</", "&amp;", "&#x0;", "\"", "'", "{", "}", "[", "]", ":", ",", "@",
         "--xYzZY", "--xYzZY--", "=?utf-8?B?////?=", "é", "😀", "\ud800", "Bcc: a@example.com", "[SD-1001]", "SD-", " ", "\t", "x"];

    [Fact]
    public async Task No_mutated_post_answers_5xx_and_no_refused_post_opens_a_ticket()
    {
        await using var app = await TestApp.StartAsync(cosmos, new Dictionary<string, string?> { ["Intake:EmailWebhookSecret"] = Secret }, withDurable: true);
        var function = ActivatorUtilities.CreateInstance<EmailIntakeFunction>(app.Services);
        var random = new Random(Seed);
        var seeds = new[] { "new-request", "latin1", "with-attachments", "out-of-office", "spam", "bounce" };
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var tickets = await CountAsync(app.Store.Tickets);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Cases; i++)
        {
            var (body, contentType, description) = Case(random, seeds, i);
            try
            {
                var request = HttpCall.Request("POST", "/api/intake/email", string.Empty, contentType: contentType);
                request.Body = new MemoryStream(body);
                request.ContentLength = body.Length;
                request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?key=" + Secret);
                var response = await HttpCall.ExecuteAsync(request, await function.ReceiveEmail(request, app.Durable!.Client, default));

                var disposition = response.Status is >= 200 and < 300 ? response.Json.GetProperty("disposition").GetString()! : null;
                var outcome = disposition ?? response.Status.ToString(CultureInfo.InvariantCulture);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                var now = await CountAsync(app.Store.Tickets);
                var opened = now - tickets;
                tickets = now;

                if (response.Status >= 500)
                {
                    failures.Add($"#{i} ({description}): answered {response.Status}: {response.Body}");
                }
                else if (response.Status >= 400 && response.ContentType != Problems.ContentType)
                {
                    failures.Add($"#{i} ({description}): {response.Status} without problem details ({response.ContentType})");
                }
                else if (opened != (disposition == "created" ? 1 : 0))
                {
                    failures.Add($"#{i} ({description}): answered {outcome} but opened {opened} tickets");
                }
                else if (disposition == "created")
                {
                    var ticket = await app.TicketAsync(response.Json.GetProperty("ticketNumber").GetString()!);
                    if (ticket.Subject.Any(char.IsControl) || (ticket.Requester.DisplayName?.Any(char.IsControl) ?? false)
                        || ticket.Attachments.Any(a => a.ContentType.Any(char.IsControl) || a.FileName.Any(char.IsControl)))
                    {
                        failures.Add($"#{i} ({description}): stored a header-bound value with control characters");
                    }
                }
            }
#pragma warning disable CA1031 // Any exception is the finding (the host would answer 500); collect them all.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"#{i} ({description}): {e.GetType().Name}: {e.Message}");
            }
        }

        output.WriteLine($"{Cases} cases in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", outcomes.Select(kv => $"{kv.Key}: {kv.Value}"))}");
        failures.ShouldBeEmpty();
        outcomes.Keys.ShouldContain("created", "mutations must keep some posts usable, or the fuzzing proves little");
        outcomes.Keys.ShouldContain("400");
    }

    /// <summary>One mutated post: a fixture with one to four field-level mutations, sometimes cut or with a byte flipped.</summary>
    private static (byte[] Body, string ContentType, string Description) Case(Random random, string[] seeds, int i)
    {
        var seed = seeds[random.Next(seeds.Length)];
        var mail = InboundParse.Fixture(seed);
        var steps = new List<string> { seed };

        // Mostly a fresh Message-ID (else every case after the first would be a duplicate); sometimes one reused or none.
        switch (random.Next(10))
        {
            case 0:
                mail.Header("Message-ID", $"<fuzz-{random.Next(3)}@example.edu>");
                break;
            case 1:
                mail.Without("headers");
                break;
            default:
                mail.Header("Message-ID", $"<fuzz-{Seed}-{i}@example.edu>");
                break;
        }

        for (var m = random.Next(1, 5); m > 0; m--)
        {
            steps.Add(Mutate(random, mail));
        }

        var body = mail.Build();
        if (random.Next(8) == 0)
        {
            body = body[..random.Next(body.Length)];
            steps.Add("truncated");
        }
        else if (random.Next(8) == 0)
        {
            body[random.Next(body.Length)] = (byte)random.Next(256);
            steps.Add("byte flipped");
        }

        return (body, InboundParse.ContentType, string.Join(", ", steps));
    }

    private static string Mutate(Random random, InboundParse mail)
    {
        var field = Fields[random.Next(Fields.Length)];
        switch (random.Next(11))
        {
            case 0:
                mail.With(field, Text(random, random.Next(0, 200)));
                return $"{field}: random";
            case 1:
                var size = random.Next(20_000, 300_000);
                mail.With(field, string.Concat(Enumerable.Repeat(Fragments[random.Next(Fragments.Length)], size / 2)));
                return $"{field}: huge";
            case 2:
                field = Pick(random, "subject", "from", "text", "html");
                mail.With(field, Text(random, 10) + Pick(random, "\r\nBcc: a@example.com", "\u2028", "\0", "\r\n\r\n") + Text(random, 10));
                return $"{field}: control characters";
            case 3:
                mail.Charset("*raw*", Pick(random, "{not json", "[]", "null", "\"utf-8\"", "{\"text\":1}", "{\"text\":\"utf-8\"", "{\"subject\":\"\\ud800\"}",
                    new string('[', 5000), string.Empty));
                return "charsets: bad JSON";
            case 4:
                field = Pick(random, "subject", "text", "from", "html", "headers");
                mail.Charset(field, Pick(random, "utf-7", "UTF7", "x-klingon-8", "utf-16", "utf-32BE", "iso-8859-1", "windows-1252", "", " ", "ascii", "cp1026", "utf-8\r\n"));
                return $"{field}: odd charset";
            case 5:
                mail.Attach(Text(random, 12), "application/pdf", random.Next(0, 5000), Pick(random, "text/plain\r\nX: y", "изображение/png", "", "a/b/c", "image/png", Text(random, 20)));
                if (random.Next(2) == 0)
                {
                    mail.With("attachment-info", Pick(random, "{bad", "[1,2]", "{\"attachment1\":{\"type\":5}}", "{\"attachment1\":null}"));
                }

                return "attachment";
            case 6:
                mail.With("envelope", Pick(random, "{bad", "[]", "{\"from\":5}", "{\"from\":\"mallory@attacker.example\"}", "null", Text(random, 30)));
                return "envelope";
            case 7:
                mail.With("spam_score", Pick(random, "Infinity", "-Infinity", "NaN", "1e309", "-1e309", "-0", "", "abc", "5.0000001", "4.99", "1,5", "0x10", "  3  "));
                return "spam score";
            case 8:
                mail.With(Pick(random, "SPF", "dkim"), Pick(random, "pass", "fail", "softfail", "neutral", "none", "{@example.edu : pass}",
                    "{@example.edu : fail, @sendgrid.net : pass}", "{{{", "{@ : pass}", "{@edu : pass}", Text(random, 40)));
                return "SPF/DKIM";
            case 9:
                mail.Header(Pick(random, "In-Reply-To", "References", "Auto-Submitted", "Precedence", "Message-ID", "Return-Path"),
                    Pick(random, "<SD-1001.ack@escalation.example.edu>", "<>", "auto-replied", "bulk", "<" + Text(random, 40) + ">", Text(random, 20)));
                return "header";
            default:
                mail.Without(Pick(random, "from", "subject", "text", "html", "headers", "charsets", "spam_score"));
                return "field removed";
        }
    }

    private static string Text(Random random, int fragments)
    {
        var text = new StringBuilder();
        for (var i = 0; i < fragments; i++)
        {
            text.Append(random.Next(3) == 0 ? Fragments[random.Next(Fragments.Length)] : ((char)random.Next(32, 127)).ToString());
        }

        return text.ToString();
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static async Task<int> CountAsync(Container container)
    {
        using var query = container.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c");
        return (await query.ReadNextAsync()).Sum();
    }
}

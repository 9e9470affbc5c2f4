using System.Text;
using Escalation.Core.Intake.Email;
using Escalation.Tests.Support;

namespace Escalation.Tests.Channels;

/// <summary>Random and mutated Inbound Parse bodies never make the parser throw: every input is a value or an Invalid result.</summary>
public class EmailParserFuzzTests
{
    private const int Iterations = 3000;

    [Fact]
    public void No_input_makes_the_email_parser_throw()
    {
        var random = new Random(20261127);
        var seeds = new[] { "new-request", "latin1", "with-attachments", "out-of-office", "spam", "bounce" }
            .Select(name => InboundParse.Fixture(name).Build())
            .ToArray();
        var contentTypes = new[] { InboundParse.ContentType, "multipart/form-data", "multipart/form-data; boundary=", "text/plain", null, "multipart/mixed; boundary=xYzZY", "multipart/form-data; boundary=\"xYzZY\"; charset=utf-8" };
        var parsed = 0;

        for (var i = 0; i < Iterations; i++)
        {
            var body = (i % 4) switch
            {
                0 => RandomBytes(random, random.Next(0, 2048)),
                _ => Mutate(random, seeds[random.Next(seeds.Length)]),
            };
            var contentType = i % 5 == 0 ? contentTypes[random.Next(contentTypes.Length)] : InboundParse.ContentType;

            var result = Should.NotThrow(() => InboundEmailParser.Parse(contentType, body), $"iteration {i}");
            if (result.IsSuccess)
            {
                parsed++;
                result.Value.From.Address.ShouldNotBeNullOrWhiteSpace();
            }
        }

        parsed.ShouldBeGreaterThan(Iterations / 10, "mutations should keep many bodies parseable, or the fuzzing proves little");
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToList();
        var mutations = random.Next(1, 8);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
                case 2:
                    bytes.InsertRange(at, RandomBytes(random, random.Next(1, 32)));
                    break;
                case 3:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(Pick(random, "\r\n--xYzZY\r\n", "\r\n--xYzZY--", "Content-Disposition: form-data; name=\"charsets\"\r\n\r\n{\"text\":\"x-unknown\"}", "=?utf-8?B?////?=", "\"", "\0", "<<<>>>")));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    var copy = bytes.GetRange(at, Math.Min(200, bytes.Count - at));
                    bytes.InsertRange(random.Next(bytes.Count), copy);
                    break;
            }
        }

        return [.. bytes];
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];
}

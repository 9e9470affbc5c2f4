using System.Text;
using Escalation.Core.Intake;

namespace Escalation.Tests.Core;

public class WebhookSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"text":"hello"}""");
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_signature_made_with_the_secret_verifies()
    {
        var timestamp = Now.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign("s3cret", timestamp, Body);

        WebhookSignature.Verify("s3cret", signature, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), Body, Now, Tolerance).ShouldBeNull();
    }

    [Theory]
    [InlineData("other-secret", 0, "The signature does not match.")]
    [InlineData("s3cret", -600, "The signature timestamp is missing, malformed or too old.")]
    [InlineData("s3cret", 600, "The signature timestamp is missing, malformed or too old.")]
    public void A_wrong_secret_or_a_replayed_timestamp_fails(string signingSecret, int skewSeconds, string reason)
    {
        var timestamp = Now.AddSeconds(skewSeconds).ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(signingSecret, timestamp, Body);

        WebhookSignature.Verify("s3cret", signature, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), Body, Now, Tolerance).ShouldBe(reason);
    }

    [Fact]
    public void A_tampered_body_fails()
    {
        var timestamp = Now.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign("s3cret", timestamp, Body);

        WebhookSignature.Verify("s3cret", signature, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), [.. Body, 32], Now, Tolerance)
            .ShouldBe("The signature does not match.");
    }

    [Theory]
    [InlineData(null, "1", "The X-Signature and X-Signature-Timestamp headers are required.")]
    [InlineData("sha256=zz", "1800000000", "The signature timestamp is missing, malformed or too old.")]
    [InlineData("md5=abcd", null, "The X-Signature and X-Signature-Timestamp headers are required.")]
    [InlineData("sha256=not-hex", "1795773600", "The signature is not hexadecimal.")]
    [InlineData("md5=abcd", "1795773600", "The signature must start with 'sha256='.")]
    [InlineData("sha256=00", "99999999999999999999", "The signature timestamp is missing, malformed or too old.")]
    public void Missing_or_malformed_headers_fail_with_a_reason(string? signature, string? timestamp, string reason) =>
        WebhookSignature.Verify("s3cret", signature, timestamp, Body, Now, Tolerance).ShouldBe(reason);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/chat-signing-secret/)")]
    public void An_empty_or_unresolved_Key_Vault_secret_authenticates_nothing(string? configured)
    {
        WebhookSignature.IsConfigured(configured).ShouldBeFalse();
        WebhookSignature.SecretMatches(configured, configured).ShouldBeFalse();
        WebhookSignature.Verify(configured, "sha256=00", "1795773600", Body, Now, Tolerance).ShouldBe("This webhook has no signing secret configured.");
    }
}

using Azure.Storage.Blobs;
using Escalation.Core.Intake.Email;
using Escalation.Tests.Support;
using Microsoft.Extensions.Options;

namespace Escalation.Tests.Storage;

/// <summary>Attachments and quarantined e-mails in blob storage, against Azurite.</summary>
public sealed class BlobMessageArchiveTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task An_attachment_is_stored_under_a_safe_name_and_a_retry_overwrites_it()
    {
        var archive = Archive();
        var attachment = new InboundAttachment("../../etc/passwd report.pdf", "application/pdf", [1, 2, 3]);

        var name = await archive.StoreAttachmentAsync("abc123", 1, attachment);
        var again = await archive.StoreAttachmentAsync("abc123", 1, attachment);

        name.ShouldBe("email/abc123/1-passwd_report.pdf");
        again.ShouldBe(name);
        var blob = Container().GetBlobClient(name);
        (await blob.DownloadContentAsync()).Value.Content.ToArray().ShouldBe([1, 2, 3]);
        (await blob.GetPropertiesAsync()).Value.ContentType.ShouldBe("application/pdf");
    }

    [Fact]
    public async Task A_quarantined_email_is_recorded_as_json()
    {
        var name = await Archive().QuarantineAsync("def456",
            new QuarantinedEmail("winner@lottery.example.com", "You have WON", 14.2, "win@x", DateTimeOffset.UnixEpoch, "Claim now"));

        var content = (await Container().GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString();
        content.ShouldContain("\"subject\":\"You have WON\"");
        content.ShouldContain("\"spamScore\":14.2");
    }

    private BlobMessageArchive Archive() => new(Options.Create(new AttachmentOptions { ConnectionString = azurite.ConnectionString, ContainerName = "attachments" }));

    private BlobContainerClient Container() => new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("attachments");
}

using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Intake.Email;

/// <summary>Keeps e-mail attachments and quarantined e-mails in blob storage.</summary>
public interface IMessageArchive
{
    /// <summary>Stores one attachment under the message's folder; the same message, index and file overwrite (retries are safe).</summary>
    Task<string> StoreAttachmentAsync(string messageFolder, int index, InboundAttachment attachment, CancellationToken cancellationToken = default);

    /// <summary>Records a quarantined (spam) e-mail so a person can review it; it opens no ticket.</summary>
    Task<string> QuarantineAsync(string messageFolder, QuarantinedEmail email, CancellationToken cancellationToken = default);
}

public sealed record QuarantinedEmail(string From, string Subject, double? SpamScore, string? MessageId, DateTimeOffset ReceivedAt, string Text);

/// <summary>Blob storage for attachments (configuration section "Attachments").</summary>
public sealed class AttachmentOptions : IValidatableObject
{
    public const string SectionName = "Attachments";

    /// <summary>e.g. https://staccount.blob.core.windows.net; used with the managed identity in Azure.</summary>
    public string? BlobServiceUri { get; set; }

    /// <summary>Alternative for local development: "UseDevelopmentStorage=true" (Azurite).</summary>
    public string? ConnectionString { get; set; }

    [Required]
    public string ContainerName { get; set; } = "attachments";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(BlobServiceUri) && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Attachments:BlobServiceUri (or, locally, Attachments:ConnectionString) is required.");
        }
    }
}

public sealed class BlobMessageArchive(IOptions<AttachmentOptions> options) : IMessageArchive
{
    private volatile BlobContainerClient? _container;

    public async Task<string> StoreAttachmentAsync(string messageFolder, int index, InboundAttachment attachment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var name = $"email/{messageFolder}/{index}-{SafeFileName(attachment.FileName)}";
        var blob = (await ContainerAsync(cancellationToken)).GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(attachment.Content), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = attachment.ContentType },
        }, cancellationToken);
        return name;
    }

    public async Task<string> QuarantineAsync(string messageFolder, QuarantinedEmail email, CancellationToken cancellationToken = default)
    {
        var name = $"quarantine/{messageFolder}.json";
        var blob = (await ContainerAsync(cancellationToken)).GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(email, EscalationJson.Options)), overwrite: true, cancellationToken);
        return name;
    }

    /// <summary>The container, created on first use; a failed attempt is retried by the next call.</summary>
    private async Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken)
    {
        if (_container is { } ready)
        {
            return ready;
        }

        var settings = options.Value;
        var service = string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? new BlobServiceClient(new Uri(settings.BlobServiceUri!), new DefaultAzureCredential())
            : new BlobServiceClient(settings.ConnectionString);
        var container = service.GetBlobContainerClient(settings.ContainerName);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return _container = container;
    }

    private static string SafeFileName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return string.IsNullOrEmpty(safe.Trim('.')) ? "file" : safe[..Math.Min(safe.Length, 100)];
    }
}

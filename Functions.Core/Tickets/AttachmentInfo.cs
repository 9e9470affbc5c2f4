namespace Escalation.Core.Tickets;

/// <summary>Metadata of a file that came with a message; <see cref="BlobName"/> is null when it was not kept (too large).</summary>
public sealed record AttachmentInfo(string FileName, string ContentType, long Size, string? BlobName, string? Note = null);

using System.Collections.Concurrent;
using System.Text.Json;
using Escalation.Core;
using Escalation.Core.Intake.Email;
using Escalation.Core.Notifications;

namespace Escalation.Tests.Support;

/// <summary>Records published events; can be told to fail the next N publishes to exercise retries.</summary>
internal sealed class FakeEventPublisher : ITicketEventPublisher
{
    private int _failuresLeft;

    public ConcurrentQueue<(TicketEscalated Event, string MessageId)> Published { get; } = new();

    public bool IsEnabled => true;

    public void FailNext(int times) => Interlocked.Exchange(ref _failuresLeft, times);

    public Task PublishAsync(TicketEscalated ticketEvent, string messageId, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new InvalidOperationException("Simulated Service Bus outage.");
        }

        Published.Enqueue((ticketEvent, messageId));
        return Task.CompletedTask;
    }

    /// <summary>Manager escalation events, as the broker keeps them: a repeated message id is dropped (duplicate detection).</summary>
    public ConcurrentDictionary<string, EscalationEvent> EscalationEvents { get; } = new();

    public Task PublishAsync(EscalationEvent escalationEvent, string messageId, CancellationToken cancellationToken = default)
    {
        EscalationEvents.TryAdd(messageId, escalationEvent);
        return Task.CompletedTask;
    }
}

/// <summary>Keeps archived attachments and quarantined e-mails in memory.</summary>
internal sealed class FakeMessageArchive : IMessageArchive
{
    public ConcurrentDictionary<string, byte[]> Attachments { get; } = new();

    /// <summary>The content type each attachment blob would be stored with.</summary>
    public ConcurrentDictionary<string, string> ContentTypes { get; } = new();

    public ConcurrentDictionary<string, QuarantinedEmail> Quarantine { get; } = new();

    public Task<string> StoreAttachmentAsync(string messageFolder, int index, InboundAttachment attachment, CancellationToken cancellationToken = default)
    {
        var name = $"email/{messageFolder}/{index}-{Path.GetFileName(attachment.FileName)}";
        Attachments[name] = attachment.Content;
        ContentTypes[name] = attachment.ContentType;
        return Task.FromResult(name);
    }

    public Task<string> QuarantineAsync(string messageFolder, QuarantinedEmail email, CancellationToken cancellationToken = default)
    {
        var name = $"quarantine/{messageFolder}.json";
        // Written as JSON like the blob archive does, so what cannot be serialised fails here too.
        Quarantine[name] = JsonSerializer.Deserialize<QuarantinedEmail>(JsonSerializer.SerializeToUtf8Bytes(email, EscalationJson.Options), EscalationJson.Options)!;
        return Task.FromResult(name);
    }
}

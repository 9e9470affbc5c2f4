using System.Collections.Concurrent;
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
}

/// <summary>Keeps archived attachments and quarantined e-mails in memory.</summary>
internal sealed class FakeMessageArchive : IMessageArchive
{
    public ConcurrentDictionary<string, byte[]> Attachments { get; } = new();

    public ConcurrentDictionary<string, QuarantinedEmail> Quarantine { get; } = new();

    public Task<string> StoreAttachmentAsync(string messageFolder, int index, InboundAttachment attachment, CancellationToken cancellationToken = default)
    {
        var name = $"email/{messageFolder}/{index}-{Path.GetFileName(attachment.FileName)}";
        Attachments[name] = attachment.Content;
        return Task.FromResult(name);
    }

    public Task<string> QuarantineAsync(string messageFolder, QuarantinedEmail email, CancellationToken cancellationToken = default)
    {
        var name = $"quarantine/{messageFolder}.json";
        Quarantine[name] = email;
        return Task.FromResult(name);
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Escalation.Core.Tickets;

namespace Escalation.Core;

/// <summary>
/// What the app reports to operations through OpenTelemetry (exported to Azure Monitor when the app has an
/// Application Insights connection string, Program.cs): one meter and one activity source. Spans carry the ticket
/// number (<see cref="TicketNumberTag"/>), so one search follows a ticket from intake through its orchestration to each
/// e-mail; nothing here carries personal data (no names, addresses, texts or person ids).
/// </summary>
public static class EscalationTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Escalation";

    public const string TicketNumberTag = "ticket.number";

    /// <summary>Seconds from a ticket's SLA deadline to its escalation notice being sent.</summary>
    public const string NoticeLag = "escalation.notice.lag";

    /// <summary>Notices sent more than <see cref="LateNotice"/> after their deadline (the alert's p99 test: more than 1 % of them).</summary>
    public const string NoticesLate = "escalation.notices.late";

    public const string NoticesSent = "escalation.notices.sent";

    /// <summary>Notices the mail provider refused for good (an invalid address): a person was not told.</summary>
    public const string NoticesFailed = "escalation.notices.failed";

    /// <summary>Intake deliveries by channel and outcome (created, appended, duplicate, invalid).</summary>
    public const string Intake = "escalation.intake";

    /// <summary>Orchestration starts queued in this process and not yet made (ADR 12).</summary>
    public const string StartsQueued = "escalation.orchestration.starts_queued";

    /// <summary>Milliseconds from a new ticket's orchestration start being queued to its being scheduled.</summary>
    public const string StartDelay = "escalation.orchestration.start_delay";

    /// <summary>Milliseconds to answer a worklist page.</summary>
    public const string WorklistDuration = "escalation.worklist.duration";

    /// <summary>Milliseconds to answer an SLA report.</summary>
    public const string ReportDuration = "escalation.report.duration";

    /// <summary>A notice this much after its deadline is late; the alert fires when more than 1 % of them are (p99).</summary>
    public static readonly TimeSpan LateNotice = TimeSpan.FromSeconds(60);

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);
    private static readonly Histogram<double> NoticeLagSeconds = Meter.CreateHistogram<double>(NoticeLag, "s",
        "From a ticket's SLA deadline to its escalation notice being sent");
    private static readonly Counter<long> LateNotices = Meter.CreateCounter<long>(NoticesLate, "{notice}",
        "Escalation notices sent more than 60 s after their deadline");
    private static readonly Counter<long> SentNotices = Meter.CreateCounter<long>(NoticesSent, "{notice}", "Escalation notices sent");
    private static readonly Counter<long> FailedNotices = Meter.CreateCounter<long>(NoticesFailed, "{notice}",
        "Escalation notices the mail provider refused for good");
    private static readonly Counter<long> IntakeDeliveries = Meter.CreateCounter<long>(Intake, "{delivery}", "Intake deliveries by channel and outcome");
    private static readonly UpDownCounter<long> QueuedStarts = Meter.CreateUpDownCounter<long>(StartsQueued, "{start}",
        "Orchestration starts queued in this process and not yet made");
    private static readonly Histogram<double> StartDelays = Meter.CreateHistogram<double>(StartDelay, "ms",
        "From a new ticket's orchestration start being queued to its being scheduled");
    private static readonly Histogram<double> WorklistDurations = Meter.CreateHistogram<double>(WorklistDuration, "ms", "Time to answer a worklist page");
    private static readonly Histogram<double> ReportDurations = Meter.CreateHistogram<double>(ReportDuration, "ms", "Time to answer an SLA report");

    /// <summary>A span about one ticket (null when nobody listens).</summary>
    public static Activity? StartTicketActivity(string name, string? ticketNumber, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = Source.StartActivity(name, kind);
        if (ticketNumber is not null)
        {
            activity?.SetTag(TicketNumberTag, ticketNumber);
        }

        return activity;
    }

    /// <summary>An escalation notice was sent now, <paramref name="lag"/> after the deadline it is about.</summary>
    public static void NoticeSent(TimeSpan lag)
    {
        SentNotices.Add(1);
        NoticeLagSeconds.Record(Math.Max(0, lag.TotalSeconds));
        if (lag > LateNotice)
        {
            LateNotices.Add(1);
        }
    }

    public static void NoticeFailed() => FailedNotices.Add(1);

    public static void IntakeDelivered(Channel channel, string outcome) =>
        IntakeDeliveries.Add(1, new KeyValuePair<string, object?>("channel", channel.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("outcome", outcome));

    public static void StartQueued() => QueuedStarts.Add(1);

    /// <summary>A queued start left the queue: made after <paramref name="delay"/>, or (null) given up or left to the sweep.</summary>
    public static void StartDequeued(TimeSpan? delay)
    {
        QueuedStarts.Add(-1);
        if (delay is { } made)
        {
            StartDelays.Record(made.TotalMilliseconds);
        }
    }

    public static void WorklistAnswered(TimeSpan duration) => WorklistDurations.Record(duration.TotalMilliseconds);

    public static void ReportAnswered(TimeSpan duration) => ReportDurations.Record(duration.TotalMilliseconds);
}

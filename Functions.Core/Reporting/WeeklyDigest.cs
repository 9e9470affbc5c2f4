using System.Security.Cryptography;
using Escalation.Core.Escalations;
using Escalation.Core.Conversation;
using Escalation.Core.Notifications;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Reporting;

/// <summary>What one run of the weekly digest did.</summary>
public sealed record DigestRun(string? DueWeek, int Sent, int Postponed, int Skipped);

/// <summary>
/// Sends the weekly digest to every ITS manager and area lead exactly once per week, however often the timer fires
/// and however many instances run it (ADR 11): each recipient's digest is first claimed by a document created if absent
/// (<c>digest|{week}|{recipient}</c>), then sent under an ETag-guarded lease with the claim's Message-ID, then marked
/// sent. A send the provider surely did not take leaves the claim pending for the next run; one that may have reached
/// it keeps its lease, and the next attempt first asks the provider whether that Message-ID was accepted.
/// </summary>
public sealed class WeeklyDigest(
    DigestStore deliveries,
    DirectoryStore directories,
    IReportReader reports,
    IEscalationQueue escalations,
    IMailSender mailSender,
    DigestSchedule schedule,
    IOptions<MailOptions> mailOptions,
    ConsoleLinks links,
    TimeProvider timeProvider,
    ILogger<WeeklyDigest> logger)
{
    /// <summary>How long an attempt that claimed a digest has before another may send it.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    private enum Outcome
    {
        Sent,
        Postponed,
        Skipped,
    }

    /// <summary>Sends this week's digests if their time has come, and retries those of earlier weeks still pending.</summary>
    public async Task<DigestRun> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var due = schedule.Due(now);
        var current = await directories.GetCurrentAsync(cancellationToken);
        if (!current.IsSuccess)
        {
            Log.DigestWithoutDirectory(logger);
            return new DigestRun(due?.Key, 0, 0, 0);
        }

        var directory = current.Value;
        var claims = (await deliveries.SinceAsync(schedule.CurrentWeekStart(now).AddDays(-7), cancellationToken))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        var work = claims.Values.Where(d => d.State == DigestState.Pending && d.Week != due?.Key).ToList();
        if (due is not null)
        {
            foreach (var recipient in DigestRecipients.For(directory))
            {
                var id = DigestDelivery.IdFor(due.Key, recipient.Person.Id);
                var claim = claims.GetValueOrDefault(id) ?? await deliveries.CreateIfAbsentAsync(NewClaim(id, due, recipient, now), cancellationToken);
                if (claim.State == DigestState.Pending)
                {
                    work.Add(claim);
                }
            }
        }

        var outcomes = new List<Outcome>();
        foreach (var claim in work)
        {
            outcomes.Add(await DeliverAsync(claim, directory, cancellationToken));
        }

        var run = new DigestRun(due?.Key, outcomes.Count(o => o == Outcome.Sent), outcomes.Count(o => o == Outcome.Postponed),
            outcomes.Count(o => o == Outcome.Skipped));
        if (work.Count > 0)
        {
            Log.DigestRun(logger, run.DueWeek ?? "-", run.Sent, run.Postponed, run.Skipped);
        }

        return run;
    }

    private DigestDelivery NewClaim(string id, DigestWeek week, DigestRecipient recipient, DateTimeOffset now) => new()
    {
        Id = id,
        Day = DayDocument.Format(week.WeekStart),
        Week = week.Key,
        RecipientId = recipient.Person.Id,
        PeriodFrom = week.Period.From,
        PeriodTo = week.Period.To,
        // Unguessable like every Message-ID the system sends (ADR 6), and the same for every attempt: kept by the first writer.
        MessageId = $"<digest.{week.Key}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}@{mailOptions.Value.MessageIdDomain}>",
        CreatedAt = now,
        State = DigestState.Pending,
    };

    private async Task<Outcome> DeliverAsync(DigestDelivery claim, OrgDirectory directory, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (claim.ClaimedAt is { } claimedAt && now - claimedAt < ClaimLease)
        {
            return Outcome.Postponed; // another attempt is sending it right now
        }

        var mayHaveBeenSent = claim.ClaimedAt is not null;
        claim.ClaimedAt = now;
        claim.Attempts++;
        var leased = await deliveries.TryReplaceAsync(claim, cancellationToken);
        if (leased is null)
        {
            return Outcome.Postponed; // another attempt claimed it first
        }

        var recipient = DigestRecipients.For(directory).FirstOrDefault(r => r.Person.Id == leased.RecipientId);
        if (recipient is null || string.IsNullOrWhiteSpace(recipient.Person.Email))
        {
            await FinishAsync(leased, DigestState.NoAddress, null, cancellationToken);
            return Outcome.Skipped;
        }

        if (mayHaveBeenSent && await mailSender.WasAcceptedAsync(leased.MessageId, cancellationToken) == true)
        {
            await FinishAsync(leased, DigestState.Sent, null, cancellationToken);
            return Outcome.Sent;
        }

        DigestContent content;
        try
        {
            content = await ReadAsync(recipient, leased, directory, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing was sent: release the lease so the next run tries again at once.
            Log.DigestPostponed(logger, leased.Week, leased.RecipientId, e);
            leased.ClaimedAt = null;
            await deliveries.TryReplaceAsync(leased, CancellationToken.None);
            return Outcome.Postponed;
        }

        try
        {
            await mailSender.SendAsync(Normalised(DigestComposer.Compose(content, directory, links, leased.MessageId)), cancellationToken);
        }
        catch (MailRejectedException e)
        {
            Log.DigestRejected(logger, leased.Week, leased.RecipientId, e.Message);
            await FinishAsync(leased, DigestState.Rejected, e.Message, cancellationToken);
            return Outcome.Skipped;
        }
        catch (MailNotSentException e)
        {
            // Surely not taken: release the lease so the next run sends at once.
            Log.DigestPostponed(logger, leased.Week, leased.RecipientId, e);
            leased.ClaimedAt = null;
            await deliveries.TryReplaceAsync(leased, CancellationToken.None);
            return Outcome.Postponed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A timeout or dropped connection may come after the provider took the mail: keep the lease (ADR 3).
            Log.DigestPostponed(logger, leased.Week, leased.RecipientId, e);
            return Outcome.Postponed;
        }

        await FinishAsync(leased, DigestState.Sent, null, cancellationToken);
        Log.DigestSent(logger, leased.Week, leased.RecipientId);
        return Outcome.Sent;
    }

    private async Task<DigestContent> ReadAsync(DigestRecipient recipient, DigestDelivery claim, OrgDirectory directory,
        CancellationToken cancellationToken)
    {
        var scope = ReportScope.ForTeams(ReportScope.ManagedTeams(recipient.Person.Id, directory));
        var sla = await reports.SlaAsync(scope, claim.Period, ReportGrouping.Team, cancellationToken);
        var atRisk = await reports.AtRiskAsync(scope, cancellationToken);
        var open = await escalations.OpenAsync(scope, cancellationToken);
        var requesters = await reports.RequestersAsync(scope, claim.Period, cancellationToken);
        return new DigestContent(recipient, claim.Week, sla, atRisk, open, requesters, schedule.TimeZone);
    }

    private async Task FinishAsync(DigestDelivery claim, DigestState state, string? failure, CancellationToken cancellationToken)
    {
        claim.State = state;
        claim.Failure = failure;
        claim.SentAt = state == DigestState.Sent ? timeProvider.GetUtcNow() : null;
        // The lease is ours: nobody else writes the claim until it expires, so a stale ETag means a bug, not a race.
        _ = await deliveries.TryReplaceAsync(claim, CancellationToken.None)
            ?? throw new InvalidOperationException($"Digest claim {claim.Id} was changed while leased.");
    }

    /// <summary>Names and subjects come from the directory: one line each before they become headers.</summary>
    private static OutgoingMail Normalised(OutgoingMail mail) => mail with
    {
        Subject = HeaderText.Normalise(mail.Subject),
        To = [.. mail.To.Select(r => r with { Email = HeaderText.Normalise(r.Email), Name = HeaderText.NormaliseOptional(r.Name, 200) })],
    };
}

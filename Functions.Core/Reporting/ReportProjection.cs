using System.Net;
using Escalation.Core.Organization;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Reporting;

/// <summary>
/// Keeps the reporting read model up to date from the tickets' change feed (ADR 10), and rebuilds it from the stored
/// tickets. Each run holds the checkpoint's lease, so the projector and a rebuild never write at the same time; an entry
/// is keyed by ticket (or request), so replaying a change after a crash counts it once.
/// </summary>
public sealed class ReportProjection(
    ReadModelStore readModel,
    DirectoryStore directories,
    TicketFacts facts,
    AtRiskWarnings warnings,
    Worklist.WorklistStore worklist,
    Microsoft.Extensions.Options.IOptions<Sla.SlaOptions> slaOptions,
    IOptions<ReportingOptions> options,
    TimeProvider timeProvider,
    ILogger<ReportProjection> logger)
{
    /// <summary>
    /// How long a projector run holds the checkpoint between renewals (each page, and before the at-risk warnings): an
    /// instance that dies holding it stops the projection and the warnings for at most this long (ADR 15).
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>A rebuild reads every ticket before it renews, so it holds the checkpoint longer.</summary>
    public static readonly TimeSpan RebuildLease = TimeSpan.FromMinutes(15);

    private readonly Sla.BusinessCalendar? _calendar =
        slaOptions.Value.BusinessCalendar.Enabled ? new Sla.BusinessCalendar(slaOptions.Value.BusinessCalendar) : null;
    private const int PageSize = 200;
    private const int MaxPagesPerRun = 100;

    /// <summary>Projects the changes since the checkpoint; the number of ticket versions applied, or null when another run holds the lease.</summary>
    public async Task<int?> CatchUpAsync(CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        if (await LeaseAsync(owner, Lease, cancellationToken) is not { } checkpoint)
        {
            return null;
        }

        var directory = await DirectoryAsync(cancellationToken);
        var applied = 0;
        try
        {
            using var feed = readModel.TicketChanges(checkpoint.Continuation, PageSize);
            for (var page = 0; page < MaxPagesPerRun && feed.HasMoreResults; page++)
            {
                var changes = await feed.ReadNextAsync(cancellationToken);
                if (changes.StatusCode == HttpStatusCode.NotModified)
                {
                    break;
                }

                await ApplyAsync([.. changes], directory, cancellationToken);
                applied += changes.Count;
                checkpoint = await RenewAsync(checkpoint, owner, changes.ContinuationToken, cancellationToken)
                    ?? throw new InvalidOperationException("The reporting projection lost its lease; the next run goes on from the checkpoint.");
            }

            if (options.Value.AtRiskWarnings && directory is not null)
            {
                checkpoint = await RenewAsync(checkpoint, owner, checkpoint.Continuation, cancellationToken)
                    ?? throw new InvalidOperationException("The reporting projection lost its lease; the next run sends the warnings.");
                await WarnAsync(directory, cancellationToken);
            }
        }
        finally
        {
            await ReleaseAsync(checkpoint, owner, CancellationToken.None);
        }

        if (applied > 0)
        {
            Log.ReportsProjected(logger, applied);
        }

        return applied;
    }

    /// <summary>
    /// Recomputes every day document and the waiting tickets from the stored tickets, and resumes the change feed
    /// from where it stood when the rebuild began (changes during the rebuild are applied again, to no effect).
    /// Null when the projector holds the lease.
    /// </summary>
    public async Task<RebuildResult?> RebuildAsync(CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        if (await LeaseAsync(owner, RebuildLease, cancellationToken) is not { } checkpoint)
        {
            return null;
        }

        try
        {
            var resumeFrom = await readModel.ChangeFeedEndAsync(cancellationToken);
            var directory = await DirectoryAsync(cancellationToken);
            var days = new Dictionary<string, DayDocument>(StringComparer.Ordinal);
            var pending = new PendingDocument();
            var tickets = 0;
            await foreach (var page in readModel.AllTicketsAsync(cancellationToken))
            {
                foreach (var ticket in page)
                {
                    await Project(ticket, directory, _ => Task.FromResult<DayDocument?>(null), days, pending);
                    await worklist.ApplyAsync(ticket.Number, Worklist.WorklistEntry.For(ticket, _calendar), cancellationToken);
                    tickets++;
                }
            }

            foreach (var stale in (await readModel.StoredDaysAsync(cancellationToken)).Where(day => !days.ContainsKey(DayDocument.IdFor(day))))
            {
                await readModel.DeleteDayAsync(stale, cancellationToken);
            }

            foreach (var day in days.Values)
            {
                await readModel.SaveAsync(day, cancellationToken);
            }

            await readModel.SaveAsync(pending, cancellationToken);
            checkpoint = await RenewAsync(checkpoint, owner, resumeFrom, cancellationToken)
                ?? throw new InvalidOperationException("The reporting rebuild lost its lease; run it again.");
            Log.ReportsRebuilt(logger, tickets, days.Count);
            return new RebuildResult(tickets, days.Count, pending.Tickets.Count);
        }
        finally
        {
            await ReleaseAsync(checkpoint, owner, CancellationToken.None);
        }
    }

    /// <summary>Applies ticket versions to the day documents they touch, to the waiting tickets and to the worklist.</summary>
    internal async Task ApplyAsync(IReadOnlyList<Ticket> tickets, OrgDirectory? directory, CancellationToken cancellationToken)
    {
        var days = new Dictionary<string, DayDocument>(StringComparer.Ordinal);
        var pending = await readModel.PendingAsync(cancellationToken);
        foreach (var ticket in tickets)
        {
            await Project(ticket, directory, day => readModel.DayAsync(DayDocument.IdFor(day), cancellationToken), days, pending);
        }

        foreach (var ticket in tickets)
        {
            await worklist.ApplyAsync(ticket.Number, Worklist.WorklistEntry.For(ticket, _calendar), cancellationToken);
        }

        foreach (var day in days.Values)
        {
            await readModel.SaveAsync(day, cancellationToken);
        }

        await readModel.SaveAsync(pending, cancellationToken);
    }

    private async Task Project(Ticket ticket, OrgDirectory? directory, Func<DateOnly, Task<DayDocument?>> load,
        Dictionary<string, DayDocument> days, PendingDocument pending)
    {
        async Task<DayDocument> Day(DateOnly day)
        {
            var id = DayDocument.IdFor(day);
            if (!days.TryGetValue(id, out var document))
            {
                document = await load(day) ?? DayDocument.For(day);
                days[id] = document;
            }

            return document;
        }

        (await Day(facts.DayOf(ticket.CreatedAt))).Tickets[ticket.Number] = facts.Of(ticket, directory);
        foreach (var (key, day, request) in facts.RequestsOf(ticket, directory))
        {
            (await Day(day)).Requests[key] = request;
        }

        if (TicketFacts.PendingOf(ticket) is { } waiting)
        {
            pending.Tickets[ticket.Number] = waiting.Warned || !pending.Tickets.TryGetValue(ticket.Number, out var known) ? waiting
                : waiting with { Warned = known.Warned };
        }
        else
        {
            pending.Tickets.Remove(ticket.Number);
        }
    }

    /// <summary>Warns once per ticket past 75 % of its window; a ticket whose mail failed is tried again next run.</summary>
    private async Task WarnAsync(OrgDirectory directory, CancellationToken cancellationToken)
    {
        var pending = await readModel.PendingAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var warned = 0;
        foreach (var (number, ticket) in pending.Tickets.Where(p => !p.Value.Warned).ToList())
        {
            var elapsed = facts.Elapsed(ticket, now);
            if (elapsed < ReportCalculator.WarningShare || elapsed >= 1)
            {
                continue;
            }

            try
            {
                await warnings.WarnAsync(number, ticket, directory, cancellationToken);
                pending.Tickets[number] = ticket with { Warned = true };
                warned++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.AtRiskWarningFailed(logger, number, e);
            }
        }

        if (warned > 0)
        {
            await readModel.SaveAsync(pending, cancellationToken);
        }
    }

    private async Task<OrgDirectory?> DirectoryAsync(CancellationToken cancellationToken)
    {
        var directory = await directories.GetCurrentAsync(cancellationToken);
        return directory.IsSuccess ? directory.Value : null;
    }

    private async Task<CheckpointDocument?> LeaseAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var current = await readModel.CheckpointAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        if (current is { Owner: not null } && current.LeaseUntil > now)
        {
            return null;
        }

        return await readModel.TryWriteCheckpointAsync(new CheckpointDocument
        {
            Version = CheckpointDocument.CurrentVersion,
            Continuation = current?.Version == CheckpointDocument.CurrentVersion ? current.Continuation : null,
            Owner = owner,
            LeaseUntil = now + lease,
        }, current, cancellationToken);
    }

    private Task<CheckpointDocument?> RenewAsync(CheckpointDocument held, string owner, string? continuation, CancellationToken cancellationToken) =>
        readModel.TryWriteCheckpointAsync(new CheckpointDocument
        {
            Version = CheckpointDocument.CurrentVersion,
            Continuation = continuation,
            Owner = owner,
            LeaseUntil = timeProvider.GetUtcNow() + Lease,
        }, held, cancellationToken);

    private async Task ReleaseAsync(CheckpointDocument held, string owner, CancellationToken cancellationToken)
    {
        if (held.Owner != owner)
        {
            return;
        }

        await readModel.TryWriteCheckpointAsync(new CheckpointDocument
        {
            Version = held.Version,
            Continuation = held.Continuation,
        }, held, cancellationToken);
    }
}

/// <summary>What a rebuild recomputed.</summary>
public sealed record RebuildResult(int Tickets, int Days, int Waiting);

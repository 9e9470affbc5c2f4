using Ardalis.Result;
using Escalation.Core.Conversation;
using Escalation.Core.Identity;
using Escalation.Core.Organization;
using Escalation.Core.Sla;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Worklist;

/// <summary>What the worklist is asked for: a view, filters, a sort and a page.</summary>
public sealed record WorklistRequest(WorklistView View, WorklistFilter Filter, WorklistSort Sort, string? Continuation, int PageSize);

/// <summary>One ticket in a worklist page, with names and its first-response clock as a person reads them.</summary>
public sealed record WorklistRow(
    string TicketNumber,
    string Subject,
    string RequesterName,
    string TeamId,
    string TeamName,
    string? AgentId,
    string? AgentName,
    TicketStatus Status,
    Priority Priority,
    Channel Channel,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt,
    DateTimeOffset SlaDueAt,
    bool Answered,
    bool AwaitingDesk,
    double? RemainingSeconds,
    double? OverdueSeconds);

/// <summary>A page of one view, how many tickets every view holds (by view name), and whether the clocks count working time.</summary>
public sealed record WorklistPage(
    string View,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<WorklistRow> Tickets,
    string? Continuation,
    bool BusinessTime);

/// <summary>
/// The agents' worklist (ADR 14): the open tickets of the caller's scope by view, from the worklist read model, whose
/// size is the number of open tickets. A caller without a staff scope gets "my tickets" from the HTTP layer instead.
/// </summary>
public sealed class TicketWorklist(WorklistStore store, DirectoryStore directory, IOptions<SlaOptions> slaOptions, TimeProvider timeProvider)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;
    public const int MaxTextLength = 100;

    private readonly BusinessCalendar? _calendar =
        slaOptions.Value.BusinessCalendar.Enabled ? new BusinessCalendar(slaOptions.Value.BusinessCalendar) : null;

    /// <summary>The caller's scope; null when they see no one's tickets but their own.</summary>
    public async Task<Result<WorklistScope?>> ScopeAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var current = await directory.GetCurrentAsync(cancellationToken);
        return current.IsSuccess ? WorklistScope.For(caller, current.Value) : Result<WorklistScope?>.Unavailable([.. current.Errors]);
    }

    public async Task<Result<WorklistPage>> GetAsync(WorklistRequest request, WorklistScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(scope);
        var current = await directory.GetCurrentAsync(cancellationToken);
        if (!current.IsSuccess)
        {
            return Result<WorklistPage>.Unavailable([.. current.Errors]);
        }

        var errors = Validate(request, current.Value);
        if (errors.Count > 0)
        {
            return Result<WorklistPage>.Invalid(errors);
        }

        if (!ContinuationToken.TryDecode(request.Continuation, out var token))
        {
            return Result<WorklistPage>.Invalid(ContinuationToken.Invalid);
        }

        var now = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();
        try
        {
            var views = Enum.GetValues<WorklistView>();
            var sums = await store.CountsAsync(WorklistQuery.Counts(scope, request.Filter, now), views.Select(WorklistQuery.CountName), cancellationToken);
            var counts = views.ToDictionary(view => WorklistNames.Of(view), view => sums[WorklistQuery.CountName(view)], StringComparer.Ordinal);
            var (entries, next) = await store.PageAsync(WorklistQuery.Page(request.View, scope, request.Filter, request.Sort, now), token,
                request.PageSize, cancellationToken);
            EscalationTelemetry.WorklistAnswered(timeProvider.GetElapsedTime(started));
            return new WorklistPage(WorklistNames.Of(request.View), counts, [.. entries.Select(e => Row(e, current.Value, now))],
                next is null ? null : ContinuationToken.Encode(next), _calendar is not null);
        }
        catch (Microsoft.Azure.Cosmos.CosmosException e) when (token is not null && e.StatusCode == System.Net.HttpStatusCode.BadRequest)
        {
            return Result<WorklistPage>.Invalid(ContinuationToken.Invalid);
        }
    }

    private WorklistRow Row(WorklistEntry entry, OrgDirectory orgDirectory, DateTimeOffset now)
    {
        double? remaining = null;
        double? overdue = null;
        if (!entry.Answered)
        {
            if (now <= entry.SlaDueAt)
            {
                remaining = BusinessCalendar.Between(_calendar, now, entry.SlaDueAt).TotalSeconds;
            }
            else
            {
                overdue = BusinessCalendar.Between(_calendar, entry.SlaDueAt, now).TotalSeconds;
            }
        }

        return new WorklistRow(entry.TicketNumber, entry.Subject, entry.RequesterName, entry.TeamId, orgDirectory.NameOf(entry.TeamId) ?? entry.TeamId,
            entry.AgentId, entry.AgentId is null ? null : orgDirectory.NameOf(entry.AgentId) ?? entry.AgentId, entry.Status, entry.Priority, entry.Channel,
            entry.CreatedAt, entry.LastActivityAt, entry.SlaDueAt, entry.Answered, entry.AwaitingDesk, remaining, overdue);
    }

    private static List<ValidationError> Validate(WorklistRequest request, OrgDirectory orgDirectory)
    {
        var errors = new List<ValidationError>();
        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors.Add(new ValidationError(field, message, null, ValidationSeverity.Error));
            }
        }

        Check(request.PageSize is >= 1 and <= MaxPageSize, "pageSize", $"The page size is 1 to {MaxPageSize}.");
        Check(request.Filter.TeamId is null || orgDirectory.FindTeam(request.Filter.TeamId) is not null, "team", $"Unknown team '{request.Filter.TeamId}'.");
        Check((request.Filter.Text?.Length ?? 0) <= MaxTextLength, "q", $"The search text is at most {MaxTextLength} characters.");
        return errors;
    }
}

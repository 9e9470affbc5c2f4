using System.Text;
using Escalation.Core.Tickets;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Worklist;

/// <summary>The views of the worklist an agent uses every day.</summary>
public enum WorklistView
{
    /// <summary>Open tickets assigned to the caller.</summary>
    AssignedToMe,

    /// <summary>Open tickets of the caller's teams that no agent holds.</summary>
    Unassigned,

    /// <summary>Every open ticket of the caller's teams.</summary>
    Open,

    /// <summary>The requester wrote last: the caller's own tickets, and their teams' unassigned ones.</summary>
    WaitingForMe,

    /// <summary>No first response and past half of the window (not yet due).</summary>
    AtRisk,

    /// <summary>No first response and past the deadline.</summary>
    Breached,
}

/// <summary>The views' and sorts' names in URLs and JSON (assigned-to-me, waiting-for-me …).</summary>
public static class WorklistNames
{
    public static string Of<T>(T value)
        where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) ? (i == 0 ? string.Empty : "-") + char.ToLowerInvariant(c) : c.ToString()));

    public static bool TryParse<T>(string? name, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Of(candidate), name, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}

public enum WorklistSort
{
    /// <summary>The nearest SLA deadline first.</summary>
    Due,

    /// <summary>The highest priority first, then the nearest deadline.</summary>
    Priority,

    /// <summary>The latest activity first.</summary>
    Activity,
}

/// <summary>Optional narrowing of a view; every value has been validated against the directory and the enums.</summary>
public sealed record WorklistFilter(string? TeamId = null, TicketStatus? Status = null, Priority? Priority = null, Channel? Channel = null,
    string? Text = null);

/// <summary>
/// Builds the worklist's queries: a view, the caller's scope (<see cref="WorklistScope"/>), the filters and the sort, as
/// parameterised SQL over the worklist entries. Pure, so the SQL every view runs is tested without a store.
/// </summary>
public static class WorklistQuery
{
    public static QueryDefinition Page(WorklistView view, WorklistScope scope, WorklistFilter filter, WorklistSort sort, DateTimeOffset now) =>
        Build("SELECT * FROM c", view, scope, filter, now, OrderBy(sort));

    public static QueryDefinition Count(WorklistView view, WorklistScope scope, WorklistFilter filter, DateTimeOffset now) =>
        Build("SELECT VALUE COUNT(1) FROM c", view, scope, filter, now, string.Empty);

    /// <summary>The WHERE clause alone, with its parameters, for tests.</summary>
    public static (string Where, IReadOnlyDictionary<string, object> Parameters) Where(WorklistView view, WorklistScope scope, WorklistFilter filter,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        var inScope = scope.Everything ? "true" : "ARRAY_CONTAINS(@teams, c.teamId)";
        if (!scope.Everything)
        {
            parameters["@teams"] = scope.TeamIds.ToArray();
        }

        var clauses = new List<string>();
        switch (view)
        {
            case WorklistView.AssignedToMe:
                clauses.Add("c.agentId = @me");
                parameters["@me"] = scope.PersonId;
                break;
            case WorklistView.Unassigned:
                clauses.Add(inScope);
                clauses.Add("c.assigned = false");
                break;
            case WorklistView.Open:
                clauses.Add(inScope);
                break;
            case WorklistView.WaitingForMe:
                clauses.Add("c.awaitingDesk = true");
                clauses.Add($"(c.agentId = @me OR (c.assigned = false AND {inScope}))");
                parameters["@me"] = scope.PersonId;
                break;
            case WorklistView.AtRisk:
                clauses.Add(inScope);
                clauses.Add("c.answered = false AND c.halfwayAt <= @now AND c.slaDueAt > @now");
                parameters["@now"] = now.ToUniversalTime();
                break;
            case WorklistView.Breached:
                clauses.Add(inScope);
                clauses.Add("c.answered = false AND c.slaDueAt <= @now");
                parameters["@now"] = now.ToUniversalTime();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(view), view, "Unknown worklist view.");
        }

        void Filter(string clause, string name, object? value)
        {
            if (value is not null)
            {
                clauses.Add(clause);
                parameters[name] = value;
            }
        }

        Filter("c.teamId = @team", "@team", filter.TeamId);
        Filter("c.status = @status", "@status", filter.Status is { } status ? Camel(status.ToString()) : null);
        Filter("c.priority = @priority", "@priority", filter.Priority is { } priority ? Camel(priority.ToString()) : null);
        Filter("c.channel = @channel", "@channel", filter.Channel is { } channel ? Camel(channel.ToString()) : null);
        Filter("CONTAINS(c.subjectSearch, @text)", "@text", filter.Text?.Trim().ToLowerInvariant() is { Length: > 0 } text ? text : null);
        return (string.Join(" AND ", clauses.Where(c => c != "true").DefaultIfEmpty("true")), parameters);
    }

    private static QueryDefinition Build(string select, WorklistView view, WorklistScope scope, WorklistFilter filter, DateTimeOffset now, string orderBy)
    {
        var (where, parameters) = Where(view, scope, filter, now);
        var query = new QueryDefinition(new StringBuilder(select).Append(" WHERE ").Append(where).Append(orderBy).ToString());
        foreach (var (name, value) in parameters)
        {
            query = query.WithParameter(name, value);
        }

        return query;
    }

    private static string OrderBy(WorklistSort sort) => sort switch
    {
        WorklistSort.Priority => " ORDER BY c.priorityRank DESC, c.slaDueAt ASC",
        WorklistSort.Activity => " ORDER BY c.lastActivityAt DESC",
        _ => " ORDER BY c.slaDueAt ASC",
    };

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

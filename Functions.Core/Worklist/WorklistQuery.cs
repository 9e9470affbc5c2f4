using System.Text.Json;
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
/// parameterised SQL over the worklist entries. Each view's rule is tested against the local Cosmos server (WorklistTests).
/// </summary>
public static class WorklistQuery
{
    public static QueryDefinition Page(WorklistView view, WorklistScope scope, WorklistFilter filter, WorklistSort sort, DateTimeOffset now)
    {
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        var where = string.Join(" AND ", [ViewClause(view, scope, now, parameters), .. FilterClauses(filter, parameters)]);
        return Definition($"SELECT * FROM c WHERE {where}{OrderBy(sort)}", parameters);
    }

    /// <summary>
    /// How many tickets each view holds, in one query: a sum per view over the entries the caller can see at all (their
    /// scope and their own), narrowed by the filters. One read of the caller's entries instead of one per view.
    /// </summary>
    public static QueryDefinition Counts(WorklistScope scope, WorklistFilter filter, DateTimeOffset now)
    {
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        var sums = Enum.GetValues<WorklistView>().Select(view => $"SUM(({ViewClause(view, scope, now, parameters)}) ? 1 : 0) AS {CountName(view)}");
        string[] where = [scope.Everything ? "true" : $"({ScopeClause(scope, parameters)} OR c.agentId = @me)", .. FilterClauses(filter, parameters)];
        parameters["@me"] = scope.PersonId;
        return Definition($"SELECT {string.Join(", ", sums)} FROM c WHERE {string.Join(" AND ", where)}", parameters);
    }

    /// <summary>The property of <see cref="Counts"/>' result that holds the view's count.</summary>
    public static string CountName(WorklistView view) => JsonNamingPolicy.CamelCase.ConvertName(view.ToString());

    /// <summary>Which entries belong to the view, for this caller at this time.</summary>
    public static string ViewClause(WorklistView view, WorklistScope scope, DateTimeOffset now, Dictionary<string, object> parameters)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(parameters);
        var inScope = ScopeClause(scope, parameters);
        switch (view)
        {
            case WorklistView.AssignedToMe:
                parameters["@me"] = scope.PersonId;
                return "c.agentId = @me";
            case WorklistView.Unassigned:
                return $"{inScope} AND c.assigned = false";
            case WorklistView.Open:
                return inScope;
            case WorklistView.WaitingForMe:
                parameters["@me"] = scope.PersonId;
                return $"c.awaitingDesk = true AND (c.agentId = @me OR (c.assigned = false AND {inScope}))";
            case WorklistView.AtRisk:
                parameters["@now"] = now.ToUniversalTime();
                return $"{inScope} AND c.answered = false AND c.halfwayAt <= @now AND c.slaDueAt > @now";
            case WorklistView.Breached:
                parameters["@now"] = now.ToUniversalTime();
                return $"{inScope} AND c.answered = false AND c.slaDueAt <= @now";
            default:
                throw new ArgumentOutOfRangeException(nameof(view), view, "Unknown worklist view.");
        }
    }

    private static string ScopeClause(WorklistScope scope, Dictionary<string, object> parameters)
    {
        if (scope.Everything)
        {
            return "true";
        }

        parameters["@teams"] = scope.TeamIds.Order(StringComparer.Ordinal).ToArray();
        return "ARRAY_CONTAINS(@teams, c.teamId)";
    }

    private static List<string> FilterClauses(WorklistFilter filter, Dictionary<string, object> parameters)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var clauses = new List<string>();
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
        return clauses;
    }

    private static QueryDefinition Definition(string sql, Dictionary<string, object> parameters)
    {
        var query = new QueryDefinition(sql);
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

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}

using Escalation.Core.Reporting;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Azure.Cosmos;

namespace Escalation.Core.Escalations;

/// <summary>
/// The open manager escalations, read with one query over the tickets container: a JOIN over each ticket's escalations
/// that keeps only the open ones (at most one per ticket), limited to the scope's teams or agent in the query itself.
/// The result is ordered here rather than by the query: the set is small (open escalations only) and ORDER BY over a
/// JOIN needs a composite index in Cosmos DB.
/// </summary>
public sealed class CosmosOpenEscalations(CosmosStore store) : IEscalationQueue
{
    public async Task<IReadOnlyList<QueuedEscalation>> OpenAsync(ReportScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var query = Query(scope);
        var queued = new List<QueuedEscalation>();
        using var pages = store.Tickets.GetItemQueryIterator<Row>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 200 });
        while (pages.HasMoreResults)
        {
            foreach (var row in await pages.ReadNextAsync(cancellationToken))
            {
                queued.Add(new QueuedEscalation(row.Number, row.Subject, row.Assignment?.TeamId, row.Assignment?.AgentId,
                    EscalationView.Of(row.Escalation, TicketVisibility.Everything)));
            }
        }

        return [.. queued.OrderBy(q => q.Escalation, QueueOrder.Instance).ThenBy(q => q.TicketNumber, StringComparer.Ordinal)];
    }

    private static QueryDefinition Query(ReportScope scope)
    {
        const string select = "SELECT c.id AS number, c.subject, c.assignment, e AS escalation FROM c JOIN e IN c.escalations WHERE e.status = @open";
        var (filter, name, value) = scope switch
        {
            { AgentId: { } agentId } => (" AND c.assignment.agentId = @agent", "@agent", (object)agentId),
            { TeamIds: { } teams } => (" AND ARRAY_CONTAINS(@teams, c.assignment.teamId)", "@teams", teams.Order(StringComparer.Ordinal).ToArray()),
            _ => (string.Empty, null, null),
        };
        var query = new QueryDefinition(select + filter).WithParameter("@open", "open");
        return name is null ? query : query.WithParameter(name, value);
    }

    private sealed record Row(string Number, string Subject, Assignment? Assignment, ManagerEscalation Escalation);

    /// <summary>Waiting for acknowledgement first, the nearest deadline first; then acknowledged ones, the oldest first.</summary>
    private sealed class QueueOrder : IComparer<EscalationView>
    {
        public static readonly QueueOrder Instance = new();

        public int Compare(EscalationView? x, EscalationView? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var waiting = (y.AcknowledgedAt is null).CompareTo(x.AcknowledgedAt is null);
            return waiting != 0 ? waiting : (x.AcknowledgeBy ?? x.OpenedAt).CompareTo(y.AcknowledgeBy ?? y.OpenedAt);
        }
    }
}

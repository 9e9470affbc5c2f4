using Escalation.Core.Identity;
using Escalation.Core.Organization;

namespace Escalation.Core.Worklist;

/// <summary>
/// Whose tickets a caller's worklist shows, by the same relationships as reading a ticket: the teams they belong to or
/// lead, the teams of the IT area or division they manage, or everything (the CIO, coordinators, admins). Null for a
/// person with none of these: their worklist is their own tickets ("my tickets").
/// </summary>
public sealed record WorklistScope(string PersonId, bool Everything, IReadOnlySet<string> TeamIds)
{
    public static WorklistScope? For(Caller caller, OrgDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(directory);
        var personId = directory.FindCaller(caller.Id, caller.Email)?.Id ?? caller.Id;
        var everything = caller.IsInRole(Roles.Admin) || caller.IsInRole(Roles.Coordinator) || directory.Document.CioId == personId;
        var teams = directory.Document.Teams
            .Where(t => directory.IsMemberOrLead(personId, t.Id) || directory.OwningManagerIds(t.Id).Contains(personId))
            .Select(t => t.Id)
            .ToHashSet(StringComparer.Ordinal);
        return everything || teams.Count > 0 ? new WorklistScope(personId, everything, teams) : null;
    }
}

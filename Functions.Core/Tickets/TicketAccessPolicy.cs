using Ardalis.Result;
using Escalation.Core.Identity;
using Escalation.Core.Organization;

namespace Escalation.Core.Tickets;

/// <summary>How a caller is related to a ticket, worked out from the org directory and the ticket itself.</summary>
[Flags]
public enum TicketRelationship
{
    None = 0,

    /// <summary>The person who asked for help.</summary>
    Requester = 1 << 0,

    /// <summary>Anyone in the requester's manager chain.</summary>
    RequesterManager = 1 << 1,

    /// <summary>A point person the VP or Dean of the requester's unit designated.</summary>
    PointPerson = 1 << 2,

    AssignedAgent = 1 << 3,

    /// <summary>A member or the lead of the assigned team.</summary>
    AssignedTeam = 1 << 4,

    /// <summary>The manager of the assigned team's IT area, or a manager of its division.</summary>
    OwningManager = 1 << 5,

    /// <summary>An agent who held the ticket before.</summary>
    PastAssignee = 1 << 6,

    /// <summary>Someone the ticket's escalation notified (a lead or supervisor of staff involved).</summary>
    NoticeRecipient = 1 << 7,

    Cio = 1 << 8,

    Admin = 1 << 9,

    /// <summary>The Escalation Coordinator working (or who worked) a manager escalation of the ticket.</summary>
    Coordinator = 1 << 10,
}

public enum TicketAction
{
    Read,
    Respond,
    Reassign,
    Resolve,

    /// <summary>Add an internal note: anyone who reads the whole ticket.</summary>
    AddNote,

    /// <summary>Write to the desk as the requester (the reply form; e-mail and chat replies come through intake).</summary>
    ReplyAsRequester,
}

/// <summary>What of a ticket a reader sees.</summary>
public enum TicketVisibility
{
    None,

    /// <summary>The ticket without internal comments, notices or checklist notes: what the requester's side sees.</summary>
    Public,

    Everything,
}

/// <summary>
/// Who may do what with a ticket. Acting (respond, reassign, resolve) belongs to the people responsible for it: its
/// agent and team, the team's area or division management, and admins. Reading also extends to the staff it involved
/// and the CIO (everything), and to the requester's side (the public view). The coordinator of a manager escalation
/// of the ticket reads everything and may respond (to document what they did), but reassigning and resolving stay
/// with the people responsible; the escalation's own actions are the coordinator's (EscalationActions).
/// </summary>
public static class TicketAccessPolicy
{
    private const TicketRelationship Responsible =
        TicketRelationship.AssignedAgent | TicketRelationship.AssignedTeam | TicketRelationship.OwningManager | TicketRelationship.Admin;

    private const TicketRelationship Involved =
        Responsible | TicketRelationship.PastAssignee | TicketRelationship.NoticeRecipient | TicketRelationship.Cio
        | TicketRelationship.Coordinator;

    private const TicketRelationship RequesterSide =
        TicketRelationship.Requester | TicketRelationship.RequesterManager | TicketRelationship.PointPerson;

    /// <summary>Every relationship the caller has with the ticket. <paramref name="directory"/> may be null before one is loaded.</summary>
    public static TicketRelationship RelationshipOf(Ticket ticket, Caller caller, OrgDirectory? directory)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(caller);
        var personId = directory?.FindCaller(caller.Id, caller.Email)?.Id ?? caller.Id;
        var relationships = TicketRelationship.None;
        void AddIf(bool condition, TicketRelationship relationship)
        {
            if (condition)
            {
                relationships |= relationship;
            }
        }

        AddIf(caller.IsInRole(Roles.Admin), TicketRelationship.Admin);
        AddIf(ticket.Requester.Is(personId, caller), TicketRelationship.Requester);
        AddIf(personId == ticket.Assignment.AgentId, TicketRelationship.AssignedAgent);
        AddIf(ticket.AssignedAgents.Contains(personId), TicketRelationship.PastAssignee);
        // Mails to the requester (the acknowledgement of tickets before 2026-12-08 named her by person id) grant nothing.
        AddIf(ticket.Notices.Exists(n => n.RecipientId == personId && n.NoticeId != ticket.AcknowledgementId), TicketRelationship.NoticeRecipient);
        AddIf(ticket.Escalations.Exists(e => e.CoordinatorId == personId), TicketRelationship.Coordinator);
        if (directory is null)
        {
            return relationships;
        }

        AddIf(directory.Document.CioId == personId, TicketRelationship.Cio);
        AddIf(directory.IsMemberOrLead(personId, ticket.Assignment.TeamId), TicketRelationship.AssignedTeam);
        AddIf(directory.OwningManagerIds(ticket.Assignment.TeamId).Contains(personId), TicketRelationship.OwningManager);
        AddIf(ticket.Requester.PersonId is { } requesterId && directory.ManagerChain(requesterId).Any(m => m.Id == personId),
            TicketRelationship.RequesterManager);
        AddIf(directory.PointPersonIdsFor(ticket.Requester.PersonId).Contains(personId), TicketRelationship.PointPerson);
        return relationships;
    }

    /// <summary>What a caller is told about a ticket that does not exist (and see <see cref="Refuse"/>).</summary>
    public static string NotFoundMessage(string ticketNumber) => $"Ticket {ticketNumber} was not found.";

    /// <summary>
    /// The refusal of <paramref name="caller"/>: 403 with <paramref name="message"/> for staff and for anyone related to
    /// the ticket; a user with no part in it gets the answer of a missing ticket, word for word, so that nobody outside
    /// the desk can probe which ticket numbers exist.
    /// </summary>
    public static Result<T> Refuse<T>(string ticketNumber, Caller caller, TicketRelationship relationships, string message) =>
        HidesTicket(caller, relationships) ? Result<T>.NotFound(NotFoundMessage(ticketNumber)) : Result<T>.Forbidden(message);

    /// <summary>Whether a refusal must read as a missing ticket: the caller is not staff and has no part in it.</summary>
    public static bool HidesTicket(Caller caller, TicketRelationship relationships)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return relationships == TicketRelationship.None && !caller.IsStaff;
    }

    public static TicketVisibility Visibility(TicketRelationship relationships) =>
        (relationships & Involved) != 0 ? TicketVisibility.Everything
        : (relationships & RequesterSide) != 0 ? TicketVisibility.Public
        : TicketVisibility.None;

    public static bool Allows(TicketAction action, TicketRelationship relationships) => action switch
    {
        TicketAction.Read => Visibility(relationships) != TicketVisibility.None,
        TicketAction.Respond => (relationships & (Responsible | TicketRelationship.Coordinator)) != 0,
        TicketAction.AddNote => Visibility(relationships) == TicketVisibility.Everything,
        TicketAction.ReplyAsRequester => (relationships & TicketRelationship.Requester) != 0,
        _ => (relationships & Responsible) != 0,
    };

    /// <summary>
    /// History the requester's side sees: what happened to the request and the conversation with the desk, not the
    /// staff's internal notes, notices or delivery records.
    /// </summary>
    public static bool IsPublic(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Type is HistoryEntryType.Created or HistoryEntryType.Assigned or HistoryEntryType.Reassigned
            or HistoryEntryType.Responded or HistoryEntryType.Replied or HistoryEntryType.Message or HistoryEntryType.Resolved
            or HistoryEntryType.Acknowledged or HistoryEntryType.Reopened;
    }
}

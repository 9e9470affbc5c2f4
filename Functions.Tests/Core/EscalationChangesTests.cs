using Ardalis.Result;
using Escalation.Core.Escalations;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

/// <summary>The rules of a manager escalation on the ticket document, without a store.</summary>
public class EscalationChangesTests
{
    private static readonly DateTimeOffset Now = Builders.Monday9am.AddHours(1);

    [Fact]
    public void A_second_request_while_one_is_open_is_merged_into_it()
    {
        var ticket = Builders.Ticket();

        var first = EscalationChanges.Request(ticket, Request("prof-paul", "Exam tomorrow"), "e1", "f1");
        var second = EscalationChanges.Request(ticket, Request("point-pat", "Dean asks"), "e2", "f2");

        first.Value.Created.ShouldBeTrue();
        second.Value.Created.ShouldBeFalse();
        second.Value.Escalation.Id.ShouldBe(first.Value.Escalation.Id);
        ticket.Escalations.Single().Requests.Select(r => r.RequesterId).ShouldBe(["prof-paul", "point-pat"]);
        ticket.History.Count(h => h.Type == HistoryEntryType.EscalationRequested).ShouldBe(2);
        ticket.Escalations[0].Outbox.Select(o => o.Kind).ShouldBe([OutboxKind.RequestedEvent, OutboxKind.InvolvedStaff]);
    }

    [Fact]
    public void A_resolved_ticket_cannot_be_escalated()
    {
        var ticket = Builders.Ticket();
        ticket.Resolve("r", "agent-ann", "done", Now);

        EscalationChanges.Request(ticket, Request("prof-paul", "x"), "e1", "f").Status.ShouldBe(ResultStatus.Conflict);
        ticket.Escalations.ShouldBeEmpty();
    }

    [Fact]
    public void Close_needs_every_step_settled_and_an_eta()
    {
        var (ticket, escalation) = Acknowledged();

        EscalationChanges.Close(ticket, escalation, "coord-cora", null, Now, "c1", "f").Status.ShouldBe(ResultStatus.Conflict);

        foreach (var step in Enum.GetValues<ChecklistStep>())
        {
            EscalationChanges.Waive(ticket, escalation, step, "coord-cora", "not needed", Now, $"w{step}", "f").IsSuccess.ShouldBeTrue();
        }

        EscalationChanges.Close(ticket, escalation, "coord-cora", null, Now, "c2", "f").Status.ShouldBe(ResultStatus.Conflict, "no ETA yet");
        EscalationChanges.SendEta(ticket, escalation, "coord-cora", Now.AddDays(1), "Tomorrow", Now, "eta", "f").IsSuccess.ShouldBeTrue();
        EscalationChanges.Close(ticket, escalation, "coord-cora", null, Now, "c3", "f").IsSuccess.ShouldBeTrue();
        escalation.Status.ShouldBe(EscalationStatus.Closed);
        escalation.Outbox.ShouldContain(o => o.Kind == OutboxKind.ClosedEvent);
    }

    [Fact]
    public void Steps_need_acknowledgement_and_the_follow_up_steps_their_predecessor()
    {
        var ticket = Builders.Ticket();
        var escalation = EscalationChanges.Request(ticket, Request("prof-paul", "x"), "e1", "f").Value.Escalation;
        EscalationChanges.AssignFirst(ticket, escalation, "coord-cora", Now, Now.AddHours(4)).ShouldBeTrue();

        EscalationChanges.CompleteStep(ticket, escalation, ChecklistStep.ReviewedTicket, "coord-cora", null, Now, "s1", "f")
            .Status.ShouldBe(ResultStatus.Conflict, "not acknowledged");
        EscalationChanges.Acknowledge(ticket, escalation, "coord-cora", Now, "a", "f").IsSuccess.ShouldBeTrue();
        EscalationChanges.CompleteStep(ticket, escalation, ChecklistStep.OwnerFollowedUp, "coord-cora", null, Now, "s6", "f")
            .Status.ShouldBe(ResultStatus.Conflict, "step 5 first");
        EscalationChanges.CompleteStep(ticket, escalation, ChecklistStep.ReviewedTicket, "coord-cora", null, Now, "s1", "f").IsSuccess.ShouldBeTrue();
        EscalationChanges.CompleteStep(ticket, escalation, ChecklistStep.ReviewedTicket, "coord-cora", null, Now, "s1b", "f")
            .Status.ShouldBe(ResultStatus.Conflict, "done already");
    }

    [Fact]
    public void Resolving_the_ticket_closes_its_open_escalation()
    {
        var (ticket, escalation) = Acknowledged();

        ticket.Resolve("r", "agent-ann", "Fixed", Now);

        escalation.Status.ShouldBe(EscalationStatus.Closed);
        ticket.History.ShouldContain(h => h.Type == HistoryEntryType.EscalationClosed);
    }

    [Fact]
    public void A_missed_deadline_is_owed_to_the_manager_once_per_round()
    {
        var ticket = Builders.Ticket();
        var escalation = EscalationChanges.Request(ticket, Request("prof-paul", "x"), "e1", "f").Value.Escalation;
        EscalationChanges.AssignFirst(ticket, escalation, "coord-cora", Now, Now.AddHours(4));

        EscalationChanges.RecordMissedAcknowledgement(ticket, escalation, 1, "coord-mgr", Now.AddHours(5)).ShouldBeTrue();
        EscalationChanges.RecordMissedAcknowledgement(ticket, escalation, 1, "coord-mgr", Now.AddHours(6)).ShouldBeFalse();

        escalation.Outbox.Count(o => o.Kind == OutboxKind.AcknowledgementMissed).ShouldBe(1);
    }

    private static (Ticket, ManagerEscalation) Acknowledged()
    {
        var ticket = Builders.Ticket();
        var escalation = EscalationChanges.Request(ticket, Request("prof-paul", "x"), "e1", "f").Value.Escalation;
        EscalationChanges.AssignFirst(ticket, escalation, "coord-cora", Now, Now.AddHours(4));
        EscalationChanges.Acknowledge(ticket, escalation, "coord-cora", Now, "a", "f");
        return (ticket, escalation);
    }

    private static EscalationRequest Request(string requesterId, string justification) =>
        new(requesterId, requesterId, justification, EscalationChannel.Web, Now);
}

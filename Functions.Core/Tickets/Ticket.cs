using System.Text.Json.Serialization;
using Ardalis.Result;

namespace Escalation.Core.Tickets;

/// <summary>
/// A service-desk ticket and its append-only history. Stored as one Cosmos DB document whose id is the ticket number,
/// so every change to a ticket is one optimistic-concurrency write (see docs/decisions/0002).
/// </summary>
public sealed class Ticket
{
    [JsonPropertyName("id")]
    public required string Number { get; init; }

    public required Channel Channel { get; init; }

    /// <summary>The channel's own id of the message that opened the ticket (e-mail Message-ID, idempotency key, ...).</summary>
    public required string ChannelMessageId { get; init; }

    public required Requester Requester { get; init; }

    public required string Subject { get; init; }

    public required string Description { get; init; }

    public string? Category { get; init; }

    public required Priority Priority { get; init; }

    public required Assignment Assignment { get; set; }

    /// <summary>Every agent who has been assigned the ticket, in order; their leads are told when it escalates.</summary>
    public List<string> AssignedAgents { get; init; } = [];

    /// <summary>Every team that has been assigned the ticket, in order.</summary>
    public List<string> AssignedTeams { get; init; } = [];

    public TicketStatus Status { get; set; } = TicketStatus.Open;

    /// <summary>True when intake could not identify the requester or route with confidence; a person should look.</summary>
    public bool NeedsTriage { get; init; }

    /// <summary>Why a person should look at the ticket (e.g. "unknown-requester", "low-confidence-transcript").</summary>
    public List<string> Flags { get; init; } = [];

    /// <summary>Channel facts, e.g. the voicemail recording link and caller number, or the chat conversation.</summary>
    public Dictionary<string, string> Details { get; init; } = [];

    public List<AttachmentInfo> Attachments { get; init; } = [];

    /// <summary>Send the requester an acknowledgement e-mail carrying the ticket number (tickets opened by e-mail).</summary>
    public bool AcknowledgeByEmail { get; set; }

    /// <summary>The delivery id of the requester's acknowledgement e-mail.</summary>
    [JsonIgnore]
    public string AcknowledgementId => $"{Number}.ack";

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset SlaDueAt { get; init; }

    public DateTimeOffset? FirstResponseAt { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public List<HistoryEntry> History { get; init; } = [];

    /// <summary>How many pages of older history were moved out of this document (see <see cref="TakeOldestHistory"/>).</summary>
    public int HistoryPages { get; set; }

    public List<NoticeDelivery> Notices { get; init; } = [];

    /// <summary>Messages the conversation owes people (replies, the resolution, "the requester wrote"), each sent once (ADR 13).</summary>
    public List<OutgoingMessage> Outgoing { get; init; } = [];

    /// <summary>How many <see cref="Outgoing"/> messages are still to be sent; stored so the repair sweep can query it.</summary>
    public int PendingDeliveries => Outgoing.Count(o => o.IsPending);

    /// <summary>The newest entry the requester's side can see: "my tickets" lists tickets by it, newest first.</summary>
    public DateTimeOffset? LastPublicActivityAt { get; set; }

    /// <summary>Since when the requester's side has been waiting for the desk: they wrote last (null: the desk spoke last).</summary>
    public DateTimeOffset? AwaitingDeskSince { get; set; }

    /// <summary>Since when the desk has been waiting for the requester: it replied last (null: the requester wrote last).</summary>
    public DateTimeOffset? AwaitingRequesterSince { get; set; }

    /// <summary>The Message-IDs of the e-mail conversation with the requester, oldest first: replies thread onto the last.</summary>
    public List<string> MailThread { get; init; } = [];

    /// <summary>When a reply of the requester last reopened the resolved ticket, and how often that happened.</summary>
    public DateTimeOffset? ReopenedAt { get; set; }

    public int TimesReopened { get; set; }

    /// <summary>Manager escalations, open and past; at most one is open at a time (see EscalationChanges).</summary>
    public List<ManagerEscalation> Escalations { get; init; } = [];

    [JsonIgnore]
    public bool IsResolved => Status == TicketStatus.Resolved;

    /// <summary>The history entry of the assignment made at intake.</summary>
    public const string OpeningAssignmentEntryId = "assigned";

    /// <summary>The history entry data key holding the fingerprint of the agent request that made the entry.</summary>
    public const string RequestFingerprintKey = "request";

    /// <summary>The ticket's e-mail subject prefix, which replies keep so they thread back to the ticket.</summary>
    [JsonIgnore]
    public string SubjectToken => $"[{Number}]";

    public static Ticket Open(
        string number,
        Channel channel,
        string channelMessageId,
        Requester requester,
        string subject,
        string description,
        string? category,
        Priority priority,
        Assignment assignment,
        IReadOnlyList<string> flags,
        DateTimeOffset now,
        DateTimeOffset slaDueAt)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var ticket = new Ticket
        {
            Number = number,
            Channel = channel,
            ChannelMessageId = channelMessageId,
            Requester = requester,
            Subject = subject,
            Description = description,
            Category = category,
            Priority = priority,
            Assignment = assignment,
            NeedsTriage = flags.Count > 0,
            Flags = [.. flags],
            CreatedAt = now,
            SlaDueAt = slaDueAt,
        };
        if (channel == Channel.Email)
        {
            ticket.AddInboundMailToThread(channelMessageId);
        }

        ticket.Append(new HistoryEntry("created", now, HistoryEntryType.Created, requester.PersonId ?? requester.DisplayName,
            $"Ticket opened by {channel}."));
        ticket.RecordAssignment(assignment, HistoryEntryType.Assigned, "intake", now, OpeningAssignmentEntryId);
        return ticket;
    }

    /// <summary>Appends an entry unless an entry with the same id is already there; returns whether it was added.</summary>
    public bool Append(HistoryEntry entry)
    {
        if (History.Exists(existing => existing.Id == entry.Id))
        {
            return false;
        }

        History.Add(entry);
        if (TicketAccessPolicy.IsPublic(entry) && (LastPublicActivityAt is null || entry.At > LastPublicActivityAt))
        {
            LastPublicActivityAt = entry.At;
        }

        return true;
    }

    /// <summary>
    /// Adds a message that arrived by a channel (an e-mail reply, a chat message, the requester's reply form). A message
    /// from the holding team or agent is their response and may be the first one. Any other message is the requester's
    /// side writing: the first of a burst owes the holder a "the requester wrote" notice, and the requester's own reply
    /// within <paramref name="reopenWindow"/> of the resolution reopens the ticket. A re-delivered message is recognised
    /// by its entry id.
    /// </summary>
    public MessageAppend AppendMessage(string entryId, string senderId, string text, bool countsAsFirstResponse, DateTimeOffset now,
        IReadOnlyList<AttachmentInfo>? attachments = null, bool fromRequester = false, TimeSpan reopenWindow = default, string? fingerprint = null)
    {
        if (History.Exists(h => h.Id == entryId))
        {
            return MessageAppend.Duplicate;
        }

        var reopened = fromRequester && IsResolved && now - ResolvedAt <= reopenWindow && Reopen(entryId, senderId, now);
        var isFirstResponse = countsAsFirstResponse && !IsResolved && RecordFirstResponse(now);
        var type = countsAsFirstResponse ? HistoryEntryType.Responded : HistoryEntryType.Message;
        var summary = IsResolved ? $"(after resolution) {text}" : text;
        Append(new HistoryEntry(entryId, now, type, senderId, summary, RequestData(fingerprint)));
        Attachments.AddRange(attachments ?? []);
        if (countsAsFirstResponse)
        {
            AwaitingDeskSince = null;
            AwaitingRequesterSince ??= now;
        }
        else if (!IsResolved && AwaitingDeskSince is null)
        {
            AwaitingRequesterSince = null;
            AwaitingDeskSince = now;
            Outgoing.Add(new OutgoingMessage($"{Number}.wrote.{Outgoing.Count(o => o.Kind == OutgoingKind.RequesterWrote) + 1}",
                OutgoingKind.RequesterWrote, entryId, now, DeliveryRoute.Email, Excerpt(text), senderId));
        }

        return isFirstResponse ? MessageAppend.FirstResponse : reopened ? MessageAppend.Reopened : MessageAppend.Appended;
    }

    /// <summary>
    /// Records a public reply to the requester and owes its delivery on the ticket's channel (<paramref name="route"/>;
    /// <see cref="DeliveryRoute.Phone"/> when the agent already said it on the phone). When it comes from the holding
    /// team or agent it is their response, and the first one stops the SLA clock; true when it was the first.
    /// </summary>
    public Result<bool> Respond(string entryId, string responderId, string message, bool countsAsFirstResponse, DateTimeOffset now,
        string? fingerprint = null, DeliveryRoute? route = null)
    {
        if (IsResolved)
        {
            return Result.Conflict($"Ticket {Number} is resolved.");
        }

        var type = countsAsFirstResponse ? HistoryEntryType.Responded : HistoryEntryType.Replied;
        var delivery = route ?? RequesterRoute;
        var data = RequestData(fingerprint) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        data["delivery"] = delivery.ToString();
        if (!Append(new HistoryEntry(entryId, now, type, responderId, message, data)))
        {
            return Result.Success(false);
        }

        AwaitingDeskSince = null;
        AwaitingRequesterSince ??= now;
        Owe(OutgoingKind.Reply, entryId, now, delivery, message, responderId);
        return Result.Success(countsAsFirstResponse && RecordFirstResponse(now));
    }

    /// <summary>An internal note: for the staff only, never sent to the requester, never a response.</summary>
    public Result AddNote(string entryId, string authorId, string note, DateTimeOffset now, string? fingerprint = null)
    {
        Append(new HistoryEntry(entryId, now, HistoryEntryType.Note, authorId, note, RequestData(fingerprint)));
        return Result.Success();
    }

    /// <summary>
    /// How a message reaches the requester: the chat conversation the ticket came from, else e-mail, else nobody can be
    /// reached (a voicemail from an unknown number) and the desk calls back.
    /// </summary>
    [JsonIgnore]
    public DeliveryRoute RequesterRoute =>
        Channel == Channel.Chat && Details.ContainsKey("conversationId") ? DeliveryRoute.Chat
        : Requester.Email is not null ? DeliveryRoute.Email
        : DeliveryRoute.CallBack;

    /// <summary>
    /// Owes the holder of the assignment recorded under <paramref name="entryId"/> one e-mail about it (the caller knows
    /// from the directory whether the team wants such mail). The same assignment never owes it twice.
    /// </summary>
    public void OweAssignmentNotice(string entryId, string actorId, DateTimeOffset now) =>
        Owe(OutgoingKind.Assigned, entryId, now, DeliveryRoute.Email, string.Empty, actorId);

    /// <summary>Adds a mail the requester was sent to the conversation's thread, so the next mail answers it.</summary>
    public void AddToMailThread(NoticeDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery is { EmailSentAt: not null, MessageId: { } messageId } && !MailThread.Contains(messageId))
        {
            MailThread.Add(messageId);
        }
    }

    /// <summary>Adds the Message-ID of an e-mail the requester's side sent (without angle brackets, as intake keeps it) to the thread.</summary>
    public void AddInboundMailToThread(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var id = $"<{messageId}>";
        if (!messageId.StartsWith("sha256:", StringComparison.Ordinal) && !MailThread.Contains(id))
        {
            MailThread.Add(id);
        }
    }

    public OutgoingMessage? FindOutgoing(string id) => Outgoing.Find(o => o.Id == id);

    /// <summary>
    /// The ids of the messages still to be sent; with <paramref name="owedBefore"/>, only those owed before then, and with
    /// <paramref name="owedFrom"/> only those owed since then.
    /// </summary>
    public IReadOnlyList<string> OwedMessageIds(DateTimeOffset? owedBefore = null, DateTimeOffset? owedFrom = null) =>
        [.. Outgoing.Where(o => o.IsPending && (owedBefore is null || o.CreatedAt < owedBefore) && (owedFrom is null || o.CreatedAt >= owedFrom))
            .Select(o => o.Id)];

    /// <summary>Records how an outgoing message ended: delivered (by <paramref name="by"/>) or, with a problem, failed for good.</summary>
    public void CompleteOutgoing(string id, DateTimeOffset at, DeliveryRoute? by, string? problem = null)
    {
        var index = Outgoing.FindIndex(o => o.Id == id);
        if (index >= 0 && Outgoing[index].IsPending)
        {
            Outgoing[index] = Outgoing[index] with
            {
                Text = null,
                DeliveredAt = by is null ? null : at,
                DeliveredBy = by,
                FailedAt = by is null ? at : null,
                Problem = problem,
            };
        }
    }

    /// <summary>
    /// Hands the ticket to another team or agent. A request already recorded under <paramref name="entryId"/> changes
    /// nothing, so a replayed reassignment never undoes a later one.
    /// </summary>
    public Result Reassign(string entryId, Assignment assignment, string actorId, DateTimeOffset now, string? fingerprint = null)
    {
        if (IsResolved)
        {
            return Result.Conflict($"Ticket {Number} is resolved.");
        }

        if (assignment == Assignment || History.Exists(h => h.Id == entryId))
        {
            return Result.Success();
        }

        RecordAssignment(assignment, HistoryEntryType.Reassigned, actorId, now, entryId, fingerprint);
        return Result.Success();
    }

    public Result Resolve(string entryId, string actorId, string resolution, DateTimeOffset now, string? fingerprint = null)
    {
        if (IsResolved)
        {
            return Result.Success();
        }

        Status = TicketStatus.Resolved;
        ResolvedAt = now;
        AwaitingDeskSince = null;
        AwaitingRequesterSince = null;
        Append(new HistoryEntry(entryId, now, HistoryEntryType.Resolved, actorId, resolution, RequestData(fingerprint)));
        Owe(OutgoingKind.Resolution, entryId, now, RequesterRoute, resolution, actorId);
        foreach (var escalation in Escalations.Where(e => e.IsOpen))
        {
            escalation.Close(actorId, "The ticket was resolved.", now, Number);
            Append(new HistoryEntry($"{entryId}.{escalation.Id}", now, HistoryEntryType.EscalationClosed, actorId,
                $"Escalation {escalation.Id} closed: the ticket was resolved.", EscalationData(escalation.Id)));
        }

        return Result.Success();
    }

    /// <summary>
    /// Whether the request recorded under <paramref name="entryId"/> was already applied: false when it is new, true
    /// when it is a retry of the same request, Conflict when the entry was made by a different request.
    /// </summary>
    public Result<bool> IsReplay(string entryId, string fingerprint)
    {
        var entry = History.Find(h => h.Id == entryId);
        if (entry is null)
        {
            return false;
        }

        return entry.Data?.GetValueOrDefault(RequestFingerprintKey) == fingerprint
            ? true
            : Result.Conflict("This Idempotency-Key was already used for a different request.");
    }

    /// <summary>
    /// Removes the oldest entries, up to <paramref name="bytes"/> of them as measured by <paramref name="size"/>, so
    /// they can be stored as a page of older history. Creation and assignment entries stay: the SLA rules read them.
    /// </summary>
    public List<HistoryEntry> TakeOldestHistory(long bytes, Func<HistoryEntry, long> size)
    {
        ArgumentNullException.ThrowIfNull(size);
        var taken = new List<HistoryEntry>();
        var total = 0L;
        foreach (var entry in History.Where(e => e.Type is not (HistoryEntryType.Created or HistoryEntryType.Assigned or HistoryEntryType.Reassigned)))
        {
            if (total >= bytes)
            {
                break;
            }

            taken.Add(entry);
            total += size(entry);
        }

        var moved = taken.ToHashSet(ReferenceEqualityComparer.Instance);
        History.RemoveAll(moved.Contains);
        return taken;
    }

    /// <summary>
    /// Marks the first-response window as breached. False when there is nothing to escalate: the ticket was answered or
    /// resolved meanwhile. Recording it twice is harmless.
    /// </summary>
    public bool RecordSlaBreach(DateTimeOffset now)
    {
        if (IsResolved || FirstResponseAt is not null)
        {
            return false;
        }

        if (EscalatedAt is null)
        {
            EscalatedAt = now;
            Status = TicketStatus.Escalated;
            Append(new HistoryEntry("sla-breached", now, HistoryEntryType.SlaBreached, "system",
                $"No first response by {ReadableTime.Of(SlaDueAt)}; escalating."));
        }

        return true;
    }

    /// <summary>Stops the SLA clock unless it already stopped; true when this was the first response.</summary>
    private bool RecordFirstResponse(DateTimeOffset now)
    {
        if (FirstResponseAt is not null)
        {
            return false;
        }

        FirstResponseAt = now;
        if (Status == TicketStatus.Open)
        {
            Status = TicketStatus.InProgress;
        }

        return true;
    }

    /// <summary>
    /// Claims the e-mail step of a notice for one sending attempt. Returns what is left to do; throws nothing, so the
    /// caller decides: an attempt that crashed mid-send leaves a claim that expires after <paramref name="lease"/>.
    /// </summary>
    public NoticeStep ClaimNotice(string noticeId, string recipientId, DateTimeOffset now, TimeSpan lease)
    {
        var index = Notices.FindIndex(n => n.NoticeId == noticeId);
        if (index < 0)
        {
            Notices.Add(new NoticeDelivery(noticeId, recipientId, now));
            return NoticeStep.SendEmail;
        }

        var notice = Notices[index];
        if (notice.RejectedAt is not null)
        {
            return NoticeStep.Done;
        }

        if (notice.EmailSentAt is not null)
        {
            return notice.EventPublishedAt is null ? NoticeStep.PublishEvent : NoticeStep.Done;
        }

        if (notice.ClaimedAt is { } claimedAt && now - claimedAt < lease)
        {
            return NoticeStep.InFlight;
        }

        Notices[index] = notice with { ClaimedAt = now };
        return notice.ClaimedAt is null ? NoticeStep.SendEmail : NoticeStep.SendEmailUnlessAccepted;
    }

    /// <summary>Gives up a claim after a failed send, so the retry need not wait for the lease to expire.</summary>
    public void ReleaseNotice(string noticeId)
    {
        var index = Notices.FindIndex(n => n.NoticeId == noticeId);
        if (index >= 0 && Notices[index].EmailSentAt is null)
        {
            Notices[index] = Notices[index] with { ClaimedAt = null };
        }
    }

    /// <summary>Records that the notice's e-mail went out (or that there was no address) and documents it in the history.</summary>
    public void RecordNoticeEmailed(string noticeId, string? messageId, HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var index = Notices.FindIndex(n => n.NoticeId == noticeId);
        if (index >= 0)
        {
            Notices[index] = Notices[index] with { MessageId = messageId, EmailSentAt = entry.At };
        }

        Append(entry);
    }

    /// <summary>Records that the provider refused the e-mail for good, so no retry sends it, and documents why.</summary>
    public void RecordNoticeRejected(string noticeId, HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var index = Notices.FindIndex(n => n.NoticeId == noticeId);
        if (index >= 0)
        {
            Notices[index] = Notices[index] with { ClaimedAt = null, RejectedAt = entry.At };
        }

        Append(entry);
    }

    public void RecordNoticePublished(string noticeId, DateTimeOffset now)
    {
        var index = Notices.FindIndex(n => n.NoticeId == noticeId);
        if (index >= 0)
        {
            Notices[index] = Notices[index] with { EventPublishedAt = now };
        }
    }

    /// <summary>The data of an escalation's history entry: which escalation, and the request fingerprint when there is one.</summary>
    public static Dictionary<string, string> EscalationData(string escalationId, string? fingerprint = null)
    {
        var data = RequestData(fingerprint) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        data["escalationId"] = escalationId;
        return data;
    }

    [JsonIgnore]
    public ManagerEscalation? OpenEscalation => Escalations.Find(e => e.IsOpen);

    public ManagerEscalation? FindEscalation(string escalationId) =>
        Escalations.Find(e => string.Equals(e.Id, escalationId, StringComparison.OrdinalIgnoreCase));

    private static Dictionary<string, string>? RequestData(string? fingerprint) =>
        fingerprint is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { [RequestFingerprintKey] = fingerprint };

    private void Owe(OutgoingKind kind, string entryId, DateTimeOffset now, DeliveryRoute route, string text, string authorId)
    {
        var id = $"{Number}.{kind.ToString().ToLowerInvariant()}.{Hashing.Sha256Hex(entryId)[..16]}";
        if (!Outgoing.Exists(o => o.Id == id))
        {
            var sends = route is DeliveryRoute.Email or DeliveryRoute.Chat;
            Outgoing.Add(new OutgoingMessage(id, kind, entryId, now, route, sends ? text : null, authorId));
        }
    }

    /// <summary>
    /// The requester answered the resolution in time: the ticket is open again. Its first response stays what it was (for
    /// a ticket resolved without one, the resolution the requester received), so the reports count it once (ADR 13).
    /// </summary>
    private bool Reopen(string entryId, string senderId, DateTimeOffset now)
    {
        FirstResponseAt ??= ResolvedAt;
        ResolvedAt = null;
        Status = TicketStatus.InProgress;
        ReopenedAt = now;
        TimesReopened++;
        Append(new HistoryEntry($"{entryId}.reopened", now, HistoryEntryType.Reopened, senderId,
            "Reopened: the requester replied to the resolution."));
        return true;
    }

    private static string Excerpt(string text) => text.Length <= 500 ? text : string.Concat(text.AsSpan(0, 499), "…");

    private void RecordAssignment(Assignment assignment, HistoryEntryType type, string actorId, DateTimeOffset now, string entryId,
        string? fingerprint = null)
    {
        Assignment = assignment;
        if (!AssignedTeams.Contains(assignment.TeamId))
        {
            AssignedTeams.Add(assignment.TeamId);
        }

        if (assignment.AgentId is { } agentId && !AssignedAgents.Contains(agentId))
        {
            AssignedAgents.Add(agentId);
        }

        var to = assignment.AgentId is null ? assignment.TeamId : $"{assignment.AgentId} ({assignment.TeamId})";
        var data = RequestData(fingerprint) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        data["teamId"] = assignment.TeamId;
        data["agentId"] = assignment.AgentId ?? string.Empty;
        Append(new HistoryEntry(entryId, now, type, actorId, $"Assigned to {to}.", data));
    }
}

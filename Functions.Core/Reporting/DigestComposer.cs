using System.Globalization;
using System.Net;
using System.Text;
using Escalation.Core.Escalations;
using Escalation.Core.Conversation;
using Escalation.Core.Notifications;
using Escalation.Core.Organization;
using NodaTime;

namespace Escalation.Core.Reporting;

/// <summary>What one recipient's digest shows, read for their scope (the teams of the areas they manage or lead).</summary>
public sealed record DigestContent(
    DigestRecipient Recipient,
    string WeekKey,
    SlaReport Sla,
    IReadOnlyList<AtRiskTicket> AtRisk,
    IReadOnlyList<QueuedEscalation> Escalations,
    RequesterReport Requesters,
    string TimeZone = "UTC");

/// <summary>Writes the weekly digest as plain text and as simple HTML with the same content. Pure: no I/O.</summary>
public static class DigestComposer
{
    public const int MaxListed = 15;
    public const int TopRequesters = 5;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static OutgoingMail Compose(DigestContent content, OrgDirectory directory, ConsoleLinks links, string messageId)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(directory);
        var sections = Sections(content, directory);
        var person = content.Recipient.Person;
        var subject = $"Weekly service desk digest {content.WeekKey} - {string.Join(", ", content.Recipient.Roles)}";
        var intro = Intro(content);

        var text = new StringBuilder();
        text.AppendLine(Invariant, $"Dear {person.Name},").AppendLine();
        foreach (var line in intro)
        {
            text.AppendLine(line);
        }

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;line-height:1.4\">");
        html.Append(Invariant, $"<p>Dear {Encode(person.Name)},</p>");
        html.Append("<p>").AppendJoin("<br>", intro.Select(Encode)).Append("</p>");
        foreach (var section in sections)
        {
            text.AppendLine().AppendLine(section.Title.ToUpperInvariant());
            html.Append(Invariant, $"<h2 style=\"font-size:1.1em;margin:1.2em 0 0.4em\">{Encode(section.Title)}</h2>");
            if (section.Rows.Count == 0)
            {
                text.AppendLine(Invariant, $"  {section.Empty}");
                html.Append(Invariant, $"<p>{Encode(section.Empty)}</p>");
                continue;
            }

            Table(text, html, section);
            if (section.More > 0)
            {
                text.AppendLine(Invariant, $"  ... and {section.More} more");
                html.Append(Invariant, $"<p>... and {section.More} more</p>");
            }
        }

        text.AppendLine().AppendLine(Invariant, $"The dashboard, with every figure's tickets: {links.Dashboard()}");
        html.Append(Invariant, $"<p><a href=\"{Encode(links.Dashboard())}\">Open the dashboard</a>, with every figure's tickets.</p>");
        html.Append("</body></html>");
        var to = string.IsNullOrWhiteSpace(person.Email) ? [] : new[] { new MailRecipient(person.Email, person.Name) };
        return new OutgoingMail(to, [], subject, text.ToString(), messageId, html.ToString());
    }

    private static List<string> Intro(DigestContent content)
    {
        var period = content.Sla.Period;
        return
        [
            $"This is your weekly digest as {string.Join(" and ", content.Recipient.Roles)}.",
            $"Figures for {Day(period.From)} to {Day(period.To)}{(content.Sla.BusinessTime ? " (response times in working time)" : string.Empty)}; "
                + "tickets at risk and open escalations as of now.",
        ];
    }

    private sealed record Section(string Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, string Empty, int More = 0);

    private static List<Section> Sections(DigestContent content, OrgDirectory directory)
    {
        var sla = content.Sla;
        IReadOnlyList<IReadOnlyList<string>> slaRows = sla.Rows.Count == 0 ? [] :
            [.. sla.Rows.Select(r => Figures(r.Name, r.Figures)), Figures("Total", sla.Total)];
        var atRisk = content.AtRisk.Take(MaxListed).Select(t => (IReadOnlyList<string>)
            [t.Number, Team(directory, t.TeamId), t.AgentId is null ? "-" : Person(directory, t.AgentId), Percent(t.Elapsed), Time(t.DueAt, content.TimeZone)]).ToList();
        var escalations = content.Escalations.Take(MaxListed).Select(e => (IReadOnlyList<string>)
        [
            $"{e.TicketNumber} {e.Escalation.Id}",
            e.Subject,
            e.Escalation.CoordinatorId is { } coordinator ? Person(directory, coordinator) : "not assigned",
            e.Escalation.AcknowledgedAt is not null ? "acknowledged"
                : e.Escalation.AcknowledgeBy is { } by ? $"due {Time(by, content.TimeZone)}" : "-",
            Progress(e),
            e.Escalation.Eta is { } eta ? Time(eta.ResolveBy, content.TimeZone) : "not sent",
        ]).ToList();
        var requesters = content.Requesters.Rows.OrderByDescending(r => r.Requested).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Take(TopRequesters).Select(r => (IReadOnlyList<string>)
            [
                r.Name,
                r.UnitName ?? r.UnitId ?? "-",
                Count(r.Requested),
                Count(r.Merged),
                Count(r.InsideSla),
                r.Share is { } share ? Percent(share) : "-",
                r.Flagged ? "FLAGGED" : string.Empty,
            ]).ToList();
        return
        [
            new("SLA compliance", ["Team", "Opened", "In time", "Breached", "Met rate", "Median response", "90th percentile", "Automatic esc.", "Manager esc."],
                slaRows, "No tickets were opened for your teams in this period."),
            new("Tickets at risk now", ["Ticket", "Team", "Agent", "Window gone", "Due"], atRisk,
                "No ticket is past half of its first-response window.", content.AtRisk.Count - atRisk.Count),
            new("Open manager escalations", ["Escalation", "Subject", "Coordinator", "Acknowledgement", "Checklist", "ETA to user"], escalations,
                "No manager escalation is open.", content.Escalations.Count - escalations.Count),
            new("Top escalation requesters", ["Requester", "Unit", "Requested", "Merged", "Inside SLA", "Share of unit's tickets", "Flag"], requesters,
                "Nobody requested an escalation of your teams' tickets in this period."),
        ];
    }

    private static string[] Figures(string name, SlaFigures f) =>
    [
        name, Count(f.Opened), Count(f.RespondedInTime), Count(f.Breached), f.MetRate is { } rate ? Percent(rate) : "-",
        Duration(f.MedianFirstResponseSeconds), Duration(f.P90FirstResponseSeconds), Count(f.AutomaticEscalations), Count(f.ManagerEscalations),
    ];

    private static string Progress(QueuedEscalation queued)
    {
        var checklist = queued.Escalation.Checklist ?? [];
        var settled = checklist.Count(c => c.IsSettled);
        return checklist.Count == 0 ? "-" : $"{settled} of {checklist.Count} steps";
    }

    private static void Table(StringBuilder text, StringBuilder html, Section section)
    {
        var widths = section.Header.Select((h, i) => Math.Max(h.Length, section.Rows.Max(r => r[i].Length))).ToArray();
        // Figures are right-aligned: a column whose cells are all numbers (or "-" for none).
        var numeric = section.Header.Select((_, i) => i > 0 && section.Rows.All(r => r[i] == "-" || (r[i].Length > 0 && char.IsAsciiDigit(r[i][0])))
            && section.Rows.Any(r => r[i] != "-")).ToArray();
        text.AppendLine("  " + string.Join("  ", section.Header.Select((h, i) => numeric[i] ? h.PadLeft(widths[i]) : h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in section.Rows)
        {
            text.AppendLine("  " + string.Join("  ", row.Select((cell, i) => numeric[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
        }

        const string Cell = "border:1px solid #c8c8c8;padding:4px 8px;text-align:left";
        html.Append("<table style=\"border-collapse:collapse;font-size:0.95em\"><thead><tr>");
        foreach (var header in section.Header)
        {
            html.Append(Invariant, $"<th scope=\"col\" style=\"{Cell};background:#eef2f7\">{Encode(header)}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in section.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append(Invariant, $"<td style=\"{Cell}\">{Encode(cell)}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static string Team(OrgDirectory directory, string teamId) => directory.FindTeam(teamId)?.Name ?? teamId;

    private static string Person(OrgDirectory directory, string personId) => directory.FindPerson(personId)?.Name ?? personId;

    private static string Count(int value) => value.ToString(Invariant);

    private static string Percent(double share) => string.Create(Invariant, $"{Math.Round(share * 100):0} %");

    private static string Day(DateOnly day) => day.ToString("ddd d MMM yyyy", Invariant);

    /// <summary>A time as the recipient's wall clock shows it, with the zone's abbreviation ("2026-03-09 15:00 EST").</summary>
    private static string Time(DateTimeOffset at, string timeZone)
    {
        var zoned = Instant.FromDateTimeOffset(at).InZone(DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? DateTimeZone.Utc);
        return string.Create(Invariant, $"{zoned.LocalDateTime.ToString("yyyy-MM-dd HH:mm", Invariant)} {zoned.GetZoneInterval().Name}");
    }

    private static string Duration(double? seconds)
    {
        if (seconds is not { } value)
        {
            return "-";
        }

        var span = TimeSpan.FromSeconds(value);
        return span.TotalDays >= 1 ? string.Create(Invariant, $"{(int)span.TotalDays}d {span.Hours}h")
            : span.TotalHours >= 1 ? string.Create(Invariant, $"{(int)span.TotalHours}h {span.Minutes:00}m")
            : string.Create(Invariant, $"{span.Minutes}m");
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}

using Escalation.Core.Escalations;
using Escalation.Core.Reporting;
using Escalation.Core.Tickets;
using Escalation.Tests.Support;

namespace Escalation.Tests.Reporting;

/// <summary>The digest's text and HTML, from report records (no store).</summary>
public class DigestComposerTests
{
    private static readonly ReportPeriod Week = new(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 8));
    private static readonly DateTimeOffset Now = new(2026, 3, 9, 8, 0, 0, TimeSpan.Zero);

    private static DigestContent Content(IReadOnlyList<AtRiskTicket>? atRisk = null, string subject = "Laptop will not boot")
    {
        var directory = Builders.Directory();
        var dana = DigestRecipients.For(directory).Single(r => r.Person.Id == "dir-uss");
        var desk = new SlaFigures(12, 9, 2, 0.8182, 5400, 30600, 2, 1, 1, 0);
        var sla = new SlaReport(Week, ReportGrouping.Team, false, [new SlaRow("service-desk", "Service Desk", desk)], desk, []);
        var checklist = Enumerable.Range(1, 7).Select(i => new ChecklistItem((ChecklistStep)i, i <= 3 ? Now.AddHours(-i) : null, i <= 3 ? "coord-carl" : null))
            .ToList();
        var escalation = new EscalationView("E1", EscalationStatus.Open, Now.AddDays(-1), null, null, "coord-carl", 1, Now.AddHours(-20), Now.AddHours(-21),
            [], checklist);
        var requesters = new RequesterReport(Week, 0.25, 3,
        [
            new RequesterRow("prof-paul", "Prof. Paul Chen", "physics", "Department of Physics", 1, 0, 1, 12, 0.0833, false),
            new RequesterRow("point-pat", "Pat Point", "physics", "Department of Physics", 4, 1, 3, 12, 0.3333, true),
        ]);
        return new DigestContent(dana, "2026-W11", sla,
            atRisk ?? [new AtRiskTicket("SD-1042", "service-desk", "agent-ann", Now.AddDays(-1.6), Now.AddDays(0.4), 0.8)],
            [new QueuedEscalation("SD-1040", subject, "service-desk", "agent-ann", escalation)], requesters, "America/New_York");
    }

    [Fact]
    public void The_digest_is_addressed_to_the_recipient_with_the_week_and_their_role_in_the_subject()
    {
        var mail = DigestComposer.Compose(Content(), Builders.Directory(), Builders.Links, "<digest.1@test>");

        mail.To.ShouldHaveSingleItem().Email.ShouldBe("dana.reyes@example.edu");
        mail.Cc.ShouldBeEmpty();
        mail.Subject.ShouldBe("Weekly service desk digest 2026-W11 - ITS manager of User Support Services");
        mail.MessageId.ShouldBe("<digest.1@test>");
        mail.Text.ShouldContain("Figures for Mon 2 Mar 2026 to Sun 8 Mar 2026");
        mail.Text.ShouldContain("https://desk.example.edu/api/console#/dashboard");
        mail.Html.ShouldNotBeNull().ShouldContain("href=\"https://desk.example.edu/api/console#/dashboard\"");
    }

    [Fact]
    public void The_text_shows_compliance_at_risk_tickets_escalation_progress_and_requesters_most_first()
    {
        var text = DigestComposer.Compose(Content(), Builders.Directory(), Builders.Links, "<d@test>").Text;
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        lines.ShouldContain(l => l.StartsWith("  Service Desk", StringComparison.Ordinal) && l.Contains("82 %", StringComparison.Ordinal)
            && l.Contains("1h 30m", StringComparison.Ordinal) && l.Contains("8h 30m", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("  SD-1042", StringComparison.Ordinal) && l.Contains("Ann Agent", StringComparison.Ordinal)
            && l.Contains("80 %", StringComparison.Ordinal) && l.Contains("2026-03-09 13:36 EDT", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("  SD-1040 E1", StringComparison.Ordinal) && l.Contains("Carl Coordinator", StringComparison.Ordinal)
            && l.Contains("acknowledged", StringComparison.Ordinal) && l.Contains("3 of 7 steps", StringComparison.Ordinal)
            && l.Contains("not sent", StringComparison.Ordinal));
        var pat = lines.FindIndex(l => l.StartsWith("  Pat Point", StringComparison.Ordinal));
        var paul = lines.FindIndex(l => l.StartsWith("  Prof. Paul Chen", StringComparison.Ordinal));
        pat.ShouldBeGreaterThan(0);
        pat.ShouldBeLessThan(paul, "most requests first");
        lines[pat].ShouldContain("FLAGGED");
        lines[paul].ShouldNotContain("FLAGGED");
    }

    [Fact]
    public void Empty_sections_say_so_and_long_lists_are_cut_with_a_count()
    {
        var many = Enumerable.Range(0, DigestComposer.MaxListed + 3)
            .Select(i => new AtRiskTicket($"SD-{2000 + i}", "service-desk", null, Now.AddDays(-1), Now.AddDays(1), 0.6)).ToList();
        var empty = Content() with
        {
            Sla = Content().Sla with { Rows = [] },
            Escalations = [],
            Requesters = Content().Requesters with { Rows = [] },
            AtRisk = many,
        };

        var text = DigestComposer.Compose(empty, Builders.Directory(), Builders.Links, "<d@test>").Text;

        text.ShouldContain("No tickets were opened for your teams in this period.");
        text.ShouldContain("No manager escalation is open.");
        text.ShouldContain("Nobody requested an escalation of your teams' tickets in this period.");
        text.ShouldContain("SD-2014");
        text.ShouldNotContain("SD-2015");
        text.ShouldContain("... and 3 more");
    }

    [Fact]
    public void The_HTML_has_the_same_tables_with_headers_and_encodes_what_comes_from_tickets()
    {
        var html = DigestComposer.Compose(Content(subject: "<script>alert(1)</script> & more"), Builders.Directory(), Builders.Links, "<d@test>").Html.ShouldNotBeNull();

        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<th scope=\"col\"");
        html.ShouldContain("<td style=\"border:1px solid #c8c8c8;padding:4px 8px;text-align:left\">Service Desk</td>");
        html.ShouldContain("3 of 7 steps");
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
        html.ShouldNotContain("<script>");
    }
}

using Escalation.Functions.Http;
using Escalation.Tests.Support;

namespace Escalation.Tests.Http;

public class PortalTests
{
    [Fact]
    public async Task The_web_form_is_served_and_posts_to_web_intake_with_an_idempotency_key()
    {
        var request = HttpCall.Request("GET", "/api/portal");

        var response = await HttpCall.ExecuteAsync(request, AdminFunctions.TicketForm(request));

        response.Status.ShouldBe(200);
        response.ContentType.ShouldBe("text/html; charset=utf-8");
        response.Body.ShouldContain("<form id=\"ticket\">");
        response.Body.ShouldContain("post('tickets', body, ticketKey");
        response.Body.ShouldContain("'Idempotency-Key': key");
    }

    [Fact]
    public async Task The_page_has_an_escalation_form_that_posts_justification_and_SLA_review_to_the_ticket()
    {
        var request = HttpCall.Request("GET", "/api/portal");

        var response = await HttpCall.ExecuteAsync(request, AdminFunctions.TicketForm(request));

        response.Body.ShouldContain("<form id=\"escalate\">");
        response.Body.ShouldContain("post(`tickets/${number}/escalations`");
        response.Body.ShouldContain("slaReviewed: escalateForm.slaReviewed.checked");
    }
}

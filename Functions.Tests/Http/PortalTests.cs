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
        response.Body.ShouldContain("fetch('tickets'");
        response.Body.ShouldContain("'Idempotency-Key': idempotencyKey");
    }
}

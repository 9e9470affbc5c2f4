using Escalation.Core;
using Escalation.Core.Identity;
using Escalation.Core.Notifications;
using Escalation.Core.Storage;
using Escalation.Core.Workflow;
using Escalation.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Escalation.Tests.Http;

public class HealthTests
{
    [Fact]
    public async Task An_unreachable_store_is_unhealthy_and_a_missing_Service_Bus_is_reported_as_disabled()
    {
        using var store = new CosmosStore(new CosmosOptions
        {
            AccountEndpoint = $"https://127.0.0.1:{LocalPorts.Free()}/",
            AccountKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
            AcceptAnyServerCertificate = true,
        });
        using var starter = new OrchestrationStarter(TimeProvider.System, NullLogger<OrchestrationStarter>.Instance);
        var health = new HealthCheck(store, new DirectoryStore(store, TimeProvider.System), new DisabledTicketEventPublisher(),
            Options.Create(new MailOptions { SendGridBaseUrl = "http://127.0.0.1:10025" }),
            new HostingPlatform(RunsOnAppService: false, AuthenticationEnabled: false), Options.Create(new AuthOptions()), starter);

        var report = await health.CheckAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        report.Status.ShouldBe(HealthCheck.Unhealthy);
        report.Checks["cosmos"].ShouldStartWith("unreachable");
        report.Checks["serviceBus"].ShouldStartWith("disabled");
        report.Checks["mail"].ShouldBe("capture at http://127.0.0.1:10025");
        report.Checks["authentication"].ShouldStartWith("off: WEBSITE_AUTH_ENABLED is not True");
        report.Checks["orchestrationStarts"].ShouldBe("0 queued");
    }
}

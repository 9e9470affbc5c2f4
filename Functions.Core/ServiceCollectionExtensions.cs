using Escalation.Core.Workflow;
using Microsoft.Extensions.Configuration;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Escalation.Core.Conversation;
using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Intake.Email;
using Escalation.Core.Notifications;
using Escalation.Core.Reporting;
using Escalation.Core.Sla;
using Escalation.Core.Storage;
using Escalation.Core.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Escalation.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the domain, stores and outbound clients. Options are validated when the host starts.</summary>
    public static IServiceCollection AddEscalationCore(this IServiceCollection services)
    {
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CosmosOptions>().BindConfiguration(CosmosOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ServiceBusOptions>().BindConfiguration(ServiceBusOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReportingOptions>().BindConfiguration(ReportingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ConversationOptions>().BindConfiguration(ConversationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(sp => HostingPlatform.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new CosmosStore(sp.GetRequiredService<IOptions<CosmosOptions>>().Value));
        services.AddHostedService<CosmosInitializer>();
        services.AddSingleton<TicketStore>();
        services.AddSingleton<OrchestrationStarter>();
        services.AddHostedService(sp => sp.GetRequiredService<OrchestrationStarter>());
        services.AddSingleton<TicketWorkflows>();
        services.AddSingleton<OrchestrationSweep>();
        services.AddSingleton<IntakeKeyStore>();
        services.AddSingleton<TicketSequence>();
        services.AddSingleton<DirectoryStore>();
        services.AddSingleton<SlaPolicy>();
        services.AddSingleton<IntakePipeline>();
        services.AddSingleton<EmailIntake>();
        services.AddSingleton<IMessageArchive, BlobMessageArchive>();
        services.AddSingleton<TicketActions>();
        services.AddSingleton<EscalationActivities>();
        services.AddSingleton<OverdueEscalations>();
        services.AddSingleton<EscalationWorkflows>();
        services.AddSingleton<EscalationWorkflowActivities>();
        services.AddSingleton<EscalationRequests>();
        services.AddSingleton<EmailEscalations>();
        services.AddSingleton<EscalationActions>();
        services.AddSingleton<IEscalationQueue, CosmosOpenEscalations>();
        services.AddSingleton<SlaClock>();
        services.AddSingleton<WebConsole.ConsoleQueries>();
        services.AddSingleton<AcknowledgementDeadline>();
        services.AddSingleton<TicketMailer>();
        services.AddSingleton<AcknowledgementActivity>();
        services.AddSingleton(sp => new ConsoleLinks(ConsoleOptions.BaseUrlFrom(
            sp.GetRequiredService<IOptions<ConsoleOptions>>().Value.PublicBaseUrl, sp.GetRequiredService<IConfiguration>()["WEBSITE_HOSTNAME"])));
        services.AddSingleton<ConversationDelivery>();
        services.AddSingleton<RequesterConversation>();
        services.AddSingleton<Worklist.WorklistStore>();
        services.AddSingleton<Worklist.TicketWorklist>();
        services.AddSingleton<HealthCheck>();
        services.AddSingleton(sp => new TicketFacts(sp.GetRequiredService<IOptions<SlaOptions>>().Value.BusinessCalendar));
        services.AddSingleton<ReadModelStore>();
        services.AddSingleton<AtRiskWarnings>();
        services.AddSingleton<ReportProjection>();
        services.AddSingleton<IReportReader, CosmosReportReader>();
        services.AddSingleton<ReportQueries>();
        services.AddSingleton(sp => new DigestSchedule(sp.GetRequiredService<IOptions<DigestOptions>>(), sp.GetRequiredService<IOptions<SlaOptions>>()));
        services.AddSingleton<DigestStore>();
        services.AddSingleton<WeeklyDigest>();

        services.AddHttpClient(SendGridMailSender.HttpClientName, client => client.Timeout = SendGridMailSender.Timeout);
        services.AddSingleton<IMailSender, SendGridMailSender>();
        services.AddHttpClient(HttpChatReplySender.HttpClientName);
        services.AddSingleton<IChatReplySender, HttpChatReplySender>();
        services.AddSingleton<ITicketEventPublisher>(CreateEventPublisher);
        return services;
    }

    private static ITicketEventPublisher CreateEventPublisher(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
        if (!options.IsConfigured)
        {
            return new DisabledTicketEventPublisher();
        }

        var client = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new ServiceBusClient(options.FullyQualifiedNamespace, new DefaultAzureCredential())
            : new ServiceBusClient(options.ConnectionString);
        return new ServiceBusTicketEventPublisher(client.CreateSender(options.TopicName));
    }

    /// <summary>Creates the Cosmos database and containers at start-up when configured to (local development).</summary>
    private sealed class CosmosInitializer(CosmosStore store, IOptions<CosmosOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            options.Value.EnsureCreated ? store.EnsureCreatedAsync(cancellationToken) : Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

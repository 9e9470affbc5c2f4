using System.Reflection;
using Escalation.Core.Identity;
using Escalation.Core.Notifications;
using Escalation.Functions;
using Escalation.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Tests.Http;

/// <summary>The worker's start-up: the service graph and option validation, with the settings a newcomer copies.</summary>
public class StartupTests
{
    public static TheoryData<Type> FunctionClasses()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(FunctionsServiceCollectionExtensions).Assembly.GetTypes()
                     .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null)))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public void Every_function_class_resolves_with_the_sample_settings(Type functionClass)
    {
        using var services = Build(SampleSettings(), Environments.Development);

        services.GetRequiredService<IStartupValidator>().Validate();
        ActivatorUtilities.CreateInstance(services, functionClass).ShouldNotBeNull();
    }

    [Fact]
    public void There_are_function_classes_to_check() => FunctionClasses().Count.ShouldBeGreaterThanOrEqualTo(4);

    [Fact]
    public void The_sample_leaves_every_priority_on_the_default_window_so_a_demo_window_is_one_setting()
    {
        var settings = SampleSettings();
        settings["Sla:DefaultWindow"] = "00:00:30";
        using var services = Build(settings, Environments.Development);

        var sla = services.GetRequiredService<IOptions<Escalation.Core.Sla.SlaOptions>>().Value;

        Enum.GetValues<Escalation.Core.Tickets.Priority>().Select(sla.WindowFor).ShouldAllBe(w => w == TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_per_priority_window_overrides_the_default()
    {
        var settings = SampleSettings();
        settings["Sla:Windows:Critical"] = "04:00:00";
        using var services = Build(settings, Environments.Development);

        var sla = services.GetRequiredService<IOptions<Escalation.Core.Sla.SlaOptions>>().Value;

        sla.WindowFor(Escalation.Core.Tickets.Priority.Critical).ShouldBe(TimeSpan.FromHours(4));
        sla.WindowFor(Escalation.Core.Tickets.Priority.Normal).ShouldBe(TimeSpan.FromDays(2));
    }

    [Fact]
    public void Without_a_Service_Bus_namespace_publishing_is_disabled()
    {
        using var services = Build(SampleSettings(), Environments.Development);
        services.GetRequiredService<ITicketEventPublisher>().IsEnabled.ShouldBeFalse();
    }

    [Fact]
    public void With_a_Service_Bus_namespace_publishing_is_enabled()
    {
        var settings = SampleSettings();
        settings["ServiceBus:FullyQualifiedNamespace"] = "sb-test.servicebus.windows.net";
        using var services = Build(settings, Environments.Development);
        services.GetRequiredService<ITicketEventPublisher>().IsEnabled.ShouldBeTrue();
    }

    [Theory]
    [InlineData("System.Net.Http.HttpClient.SendGrid.LogicalHandler", LogLevel.Information, false)]
    [InlineData("Azure.Core", LogLevel.Information, false)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information, false)]
    [InlineData("Azure.Core", LogLevel.Warning, true)]
    [InlineData("Escalation.Core.Escalations.EscalationActivities", LogLevel.Information, true)]
    public void The_worker_logs_the_apps_messages_and_only_warnings_of_per_request_SDK_logs(string category, LogLevel level, bool logged)
    {
        using var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Information).AddEscalationLogFilters().AddConsole())
            .BuildServiceProvider();

        services.GetRequiredService<ILoggerFactory>().CreateLogger(category).IsEnabled(level).ShouldBe(logged);
    }

    [Fact]
    public void The_development_identity_is_refused_outside_development()
    {
        using var services = Build(SampleSettings(), Environments.Production);

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        error.Message.ShouldContain("Auth:AllowDevelopmentIdentity");
    }

    [Theory]
    [InlineData("WEBSITE_INSTANCE_ID", "a1b2c3")]
    [InlineData("WEBSITE_SITE_NAME", "func-escalation-prod")]
    public void The_development_identity_is_refused_on_App_Service_even_in_the_Development_environment(string key, string value)
    {
        var settings = SampleSettings();
        settings[key] = value;
        using var services = Build(settings, Environments.Development);

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        error.Message.ShouldContain("refused on App Service");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("False", false)]
    [InlineData("True", true)]
    public void The_client_principal_header_is_trusted_only_behind_App_Service_authentication(string? authEnabled, bool trusted)
    {
        var settings = SampleSettings();
        settings["Auth:AllowDevelopmentIdentity"] = "false";
        settings["WEBSITE_AUTH_ENABLED"] = authEnabled;
        using var services = Build(settings, Environments.Production);
        var request = HttpCall.Request("GET", "/api/tickets/SD-1", caller: HttpCall.Person("agent-ann", Roles.Agent));

        var caller = services.GetRequiredService<Escalation.Functions.Http.CallerResolver>().Resolve(request);

        (caller is not null).ShouldBe(trusted);
        services.GetRequiredService<HostingPlatform>().Describe(services.GetRequiredService<IOptions<AuthOptions>>().Value)
            .StartsWith("off", StringComparison.Ordinal).ShouldBe(!trusted);
    }

    [Theory]
    [InlineData("Sla:DefaultWindow", "-01:00:00")]
    [InlineData("Sla:BusinessCalendar:Enabled", "true", "Sla:BusinessCalendar:TimeZone", "Nowhere/City")]
    [InlineData("Sla:BusinessCalendar:TimeZone", "Nowhere/City")]
    [InlineData("Reporting:DigestHour", "24")]
    [InlineData("Reporting:DigestDay", "9")]
    [InlineData("Cosmos:AccountEndpoint", "")]
    [InlineData("Mail:SendGridBaseUrl", "https://api.sendgrid.com", "Mail:SendGridApiKey", "")]
    public void Invalid_settings_fail_at_start(string key, string value, string? key2 = null, string? value2 = null)
    {
        var settings = SampleSettings();
        settings[key] = value;
        if (key2 is not null)
        {
            settings[key2] = value2;
        }

        using var services = Build(settings, Environments.Development);
        Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    [Theory]
    [InlineData("Conversation:ChatReplyUrl", "not a url", "Conversation:ChatReplySigningSecret", "x")]
    [InlineData("Conversation:ChatReplySigningSecret", "")]
    [InlineData("Console:PublicBaseUrl", "desk.example.edu")]
    [InlineData("Conversation:ReopenWindow", "-1.00:00:00")]
    public void Invalid_conversation_settings_fail_at_start(string key, string value, string? key2 = null, string? value2 = null) =>
        Invalid_settings_fail_at_start(key, value, key2, value2);

    /// <summary>
    /// A graceful stop as the host makes it: every hosted service stopped, then the container disposed. A singleton that is
    /// also a hosted service is disposed twice by the container, which crashed the worker on every stop.
    /// </summary>
    [Fact]
    public async Task The_app_stops_with_work_in_flight_finishes_it_and_disposes_without_an_error()
    {
        var services = Build(SampleSettings(), Environments.Development);
        var hosted = services.GetServices<IHostedService>().ToList();
        var starter = hosted.OfType<Escalation.Core.Workflow.OrchestrationStarter>().ShouldHaveSingleItem();
        await starter.StartAsync(CancellationToken.None); // the others need the emulators; stopping them does not

        var inFlight = new TaskCompletionSource();
        var made = new System.Collections.Concurrent.ConcurrentBag<string>();
        starter.Enqueue("SD-1", async token =>
        {
            await inFlight.Task.WaitAsync(token);
            made.Add("SD-1");
        });
        for (var i = 2; i <= 20; i++)
        {
            var number = $"SD-{i}";
            starter.Enqueue(number, async token =>
            {
                await Task.Yield();
                made.Add(number);
            });
        }

        var stopping = Task.WhenAll(hosted.Select(service => service.StopAsync(CancellationToken.None)));
        inFlight.SetResult(); // the start in flight when the stop began finishes; the queued ones are made before the stop ends
        await stopping;
        await Should.NotThrowAsync(async () => await services.DisposeAsync());

        made.Order().ShouldBe(Enumerable.Range(1, 20).Select(i => $"SD-{i}").Order(), "a stopping instance finishes its queued starts");
        starter.Queued.ShouldBe(0);
    }

    [Fact]
    public void Telemetry_is_exported_only_when_the_app_has_an_Application_Insights_connection_string()
    {
        using (var local = Build(SampleSettings(), Environments.Development, withTelemetry: true))
        {
            local.GetService<OpenTelemetry.Metrics.MeterProvider>().ShouldBeNull("nothing is exported from a developer's machine");
        }

        var settings = SampleSettings();
        settings[FunctionsServiceCollectionExtensions.ApplicationInsightsSetting] =
            "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";
        using var inAzure = Build(settings, Environments.Production, withTelemetry: true);
        inAzure.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>();
        inAzure.GetRequiredService<OpenTelemetry.Trace.TracerProvider>();
        Escalation.Core.EscalationTelemetry.Source.HasListeners().ShouldBeTrue("the app's spans are recorded");
    }

    /// <summary>local.settings.sample.json "Values", as the Functions host turns them into configuration.</summary>
    private static Dictionary<string, string?> SampleSettings() => Support.SampleSettings.Read();

    private static ServiceProvider Build(Dictionary<string, string?> settings, string environment, bool withTelemetry = false)
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        services.AddLogging();
        services.AddEscalationFunctions();
        if (withTelemetry)
        {
            services.AddEscalationTelemetry(configuration);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

using Azure.Core.Serialization;
using Azure.Monitor.OpenTelemetry.Exporter;
using Escalation.Core;
using Escalation.Core.Identity;
using Escalation.Functions;
using Escalation.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<StoreOutageMiddleware>();
builder.Services.AddEscalationFunctions();
builder.Services.AddEscalationTelemetry(builder.Configuration);
builder.Logging.AddEscalationLogFilters();
builder.Build().Run();

namespace Escalation.Functions
{
    public static class FunctionsServiceCollectionExtensions
    {
        /// <summary>
        /// The worker's own share of a readable console (host.json filters the host's): per-request logs of the HTTP
        /// clients, the Azure SDK and the worker's ASP.NET Core server only from Warning; the app's own at Information.
        /// </summary>
        public static ILoggingBuilder AddEscalationLogFilters(this ILoggingBuilder logging)
        {
            foreach (var category in new[] { "System.Net.Http.HttpClient", "Azure.Core", "Azure.Identity", "Azure.Messaging.ServiceBus", "Microsoft.AspNetCore" })
            {
                logging.AddFilter(category, LogLevel.Warning);
            }

            return logging;
        }

        /// <summary>The setting through which App Service hands the app its Application Insights resource (set by the Bicep).</summary>
        public const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

        /// <summary>
        /// OpenTelemetry in the worker, exported to Application Insights, when the app has a connection string (in Azure):
        /// the Functions worker's own spans and logs plus the app's (<see cref="EscalationTelemetry"/>). Without one
        /// (a developer's machine, the tests) nothing is exported and logs go to the console as before.
        /// </summary>
        public static IServiceCollection AddEscalationTelemetry(this IServiceCollection services, IConfiguration configuration)
        {
            if (string.IsNullOrWhiteSpace(configuration[ApplicationInsightsSetting]))
            {
                return services;
            }

            services.AddOpenTelemetry()
                .UseFunctionsWorkerDefaults()
                .WithTracing(tracing => tracing.AddSource(EscalationTelemetry.Name))
                .WithMetrics(metrics => metrics.AddMeter(EscalationTelemetry.Name))
                .UseAzureMonitorExporter(exporter =>
                {
                    exporter.ConnectionString = configuration[ApplicationInsightsSetting];
                    exporter.EnableTraceBasedLogsSampler = false; // every log is kept: alerts read them (alerts.bicep)
                });
            return services;
        }

        /// <summary>Everything the function classes need; also used by the test that resolves every function class.</summary>
        public static IServiceCollection AddEscalationFunctions(this IServiceCollection services)
        {
            services.AddEscalationCore();
            services.AddSingleton<IValidateOptions<AuthOptions>, DevelopmentIdentityGuard>();
            services.AddOptions<AuthOptions>().ValidateOnStart();
            services.AddSingleton<CallerResolver>();

            // Orchestration payloads use the same JSON shape as documents and HTTP bodies.
            services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(EscalationJson.Options));
            return services;
        }
    }

    /// <summary>
    /// Refuses to start when the development identity header is allowed anywhere but a developer's machine: outside the
    /// Development environment, or on App Service whatever the environment name says.
    /// </summary>
    internal sealed class DevelopmentIdentityGuard(IHostEnvironment environment, HostingPlatform platform) : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options)
        {
            if (!options.AllowDevelopmentIdentity)
            {
                return ValidateOptionsResult.Success;
            }

            if (platform.RunsOnAppService)
            {
                return ValidateOptionsResult.Fail(
                    "Auth:AllowDevelopmentIdentity is for local development only and is refused on App Service (WEBSITE_INSTANCE_ID or WEBSITE_SITE_NAME is set).");
            }

            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"Auth:AllowDevelopmentIdentity is for local development only; the '{environment.EnvironmentName}' environment must use App Service authentication.");
        }
    }
}

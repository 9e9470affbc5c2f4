using System.Collections;
using System.Reflection;
using Escalation.Core.Conversation;
using Escalation.Core.Escalations;
using Escalation.Core.Identity;
using Escalation.Core.Intake;
using Escalation.Core.Intake.Email;
using Escalation.Core.Notifications;
using Escalation.Core.Reporting;
using Escalation.Core.Sla;
using Escalation.Core.Storage;
using Escalation.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Escalation.Tests.Infra;

/// <summary>
/// local.settings.sample.json lists every setting the app reads, and nothing else: together with the Bicep drift test
/// this ties the app's options, the local sample and the Azure deployment to each other.
/// </summary>
public class SettingsTests
{
    private static readonly (string Section, Type Options)[] OptionsClasses =
    [
        (SlaOptions.SectionName, typeof(SlaOptions)),
        (CosmosOptions.SectionName, typeof(CosmosOptions)),
        (MailOptions.SectionName, typeof(MailOptions)),
        (ServiceBusOptions.SectionName, typeof(ServiceBusOptions)),
        (AuthOptions.SectionName, typeof(AuthOptions)),
        (IntakeOptions.SectionName, typeof(IntakeOptions)),
        (AttachmentOptions.SectionName, typeof(AttachmentOptions)),
        (EscalationOptions.SectionName, typeof(EscalationOptions)),
        (ReportingOptions.SectionName, typeof(ReportingOptions)),
        (DigestOptions.SectionName, typeof(DigestOptions)),
        (ConversationOptions.SectionName, typeof(ConversationOptions)),
        (ConsoleOptions.SectionName, typeof(ConsoleOptions)),
    ];

    /// <summary>Read by the Functions host itself (host.json, storage, runtime), not by the app's options.</summary>
    private static readonly string[] HostSettings = ["AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "DurableTaskHubName"];

    [Fact]
    public void The_sample_leaves_AZURE_FUNCTIONS_ENVIRONMENT_to_func_start() =>
        // Core Tools set it to Development themselves; some versions fail to start when local.settings.json sets it too.
        SampleKeys().ShouldNotContain("AZURE_FUNCTIONS_ENVIRONMENT");

    [Fact]
    public void Every_option_the_app_binds_has_a_sample_value()
    {
        var sample = SampleKeys();

        var missing = AppSettingKeys().Where(key => !sample.Any(s => s == key || s.StartsWith(key + ":", StringComparison.Ordinal))).ToList();

        missing.ShouldBeEmpty("add these to local.settings.sample.json with a safe local value");
    }

    [Fact]
    public void Every_sample_setting_is_read_by_the_app_or_the_host()
    {
        var known = AppSettingKeys();

        var stale = SampleKeys()
            .Where(key => !HostSettings.Contains(key) && !known.Any(k => key == k || key.StartsWith(k + ":", StringComparison.Ordinal)))
            .ToList();

        stale.ShouldBeEmpty("local.settings.sample.json lists settings nothing reads");
    }

    /// <summary>"Section:Property" for every bindable property, nested option objects included.</summary>
    private static List<string> AppSettingKeys() =>
        OptionsClasses.SelectMany(o => Keys(o.Section, o.Options)).ToList();

    private static IEnumerable<string> Keys(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = property.PropertyType;
            var isCollection = typeof(IEnumerable).IsAssignableFrom(propertyType) && propertyType != typeof(string);
            if (isCollection)
            {
                yield return key;
            }
            else if (propertyType.IsClass && propertyType != typeof(string) && property.CanWrite)
            {
                foreach (var nested in Keys(key, propertyType))
                {
                    yield return nested;
                }
            }
            else if (property.CanWrite)
            {
                yield return key;
            }
        }
    }

    private static List<string> SampleKeys() => [.. SampleSettings.Read().Keys];
}

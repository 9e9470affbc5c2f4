using System.ComponentModel.DataAnnotations;

namespace Escalation.Core.Conversation;

/// <summary>Where people open the browser console (configuration section "Console"): every e-mail that asks someone to act links there.</summary>
public sealed class ConsoleOptions : IValidatableObject
{
    public const string SectionName = "Console";

    /// <summary>Used when neither the setting nor App Service's WEBSITE_HOSTNAME says otherwise: the local Functions host.</summary>
    public const string LocalBaseUrl = "http://127.0.0.1:7071";

    /// <summary>The app's public root, e.g. https://desk.example.edu; empty: https://{WEBSITE_HOSTNAME} on App Service, else local.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The base URL in force: the setting, else App Service's host name, else the local host.</summary>
    public static string BaseUrlFrom(string? setting, string? websiteHostName) =>
        (!string.IsNullOrWhiteSpace(setting) ? setting.Trim()
            : !string.IsNullOrWhiteSpace(websiteHostName) ? $"https://{websiteHostName.Trim()}"
            : LocalBaseUrl).TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0))
        {
            yield return new ValidationResult("Console:PublicBaseUrl must be an absolute http(s) URL without a query, e.g. https://desk.example.edu.",
                [nameof(PublicBaseUrl)]);
        }
    }
}

/// <summary>Links into the browser console, for e-mails.</summary>
public sealed class ConsoleLinks(string baseUrl)
{
    public string BaseUrl { get; } = baseUrl;

    /// <summary>The ticket's page: the whole ticket for staff, the public view and the reply form for the requester.</summary>
    public string Ticket(string ticketNumber) => $"{BaseUrl}/api/console#/ticket/{Uri.EscapeDataString(ticketNumber)}";

    /// <summary>
    /// A manager escalation in the coordinators' queue; with <paramref name="action"/> (acknowledge, step, eta, waive,
    /// reassign, close) the page lands on that action's form.
    /// </summary>
    public string Escalation(string ticketNumber, string escalationId, string? action = null) =>
        $"{BaseUrl}/api/console#/queue/{Uri.EscapeDataString(ticketNumber)}/{Uri.EscapeDataString(escalationId)}{(action is null ? string.Empty : "/" + action)}";

    /// <summary>The managers' dashboard.</summary>
    public string Dashboard() => $"{BaseUrl}/api/console#/dashboard";
}

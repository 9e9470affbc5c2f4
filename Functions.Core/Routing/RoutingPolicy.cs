using System.Text.RegularExpressions;
using Escalation.Core.Organization;
using Escalation.Core.Tickets;

namespace Escalation.Core.Routing;

/// <summary>The assignment chosen at intake, and whether it fell through to the default triage team.</summary>
public sealed record RoutingDecision(Assignment Assignment, bool UsedDefault);

/// <summary>Chooses a team (and optionally an agent) for a new ticket from the directory's routing rules.</summary>
public static class RoutingPolicy
{
    public static RoutingDecision Route(RoutingRecord routing, string? category, string subject, string description)
    {
        ArgumentNullException.ThrowIfNull(routing);
        var text = $"{subject}\n{description}";
        foreach (var rule in routing.Rules ?? [])
        {
            if (Matches(rule, category, text))
            {
                return new RoutingDecision(new Assignment(rule.TeamId, rule.AgentId), UsedDefault: false);
            }
        }

        return new RoutingDecision(new Assignment(routing.DefaultTeamId), UsedDefault: true);
    }

    private static bool Matches(RoutingRuleRecord rule, string? category, string text)
    {
        if (!string.IsNullOrWhiteSpace(rule.Category)
            && string.Equals(rule.Category.Trim(), category?.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return (rule.Keywords ?? []).Any(keyword => !string.IsNullOrWhiteSpace(keyword) && ContainsWord(text, keyword.Trim()));
    }

    private static bool ContainsWord(string text, string keyword) =>
        Regex.IsMatch(text, $@"(?<!\w){Regex.Escape(keyword)}(?!\w)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}

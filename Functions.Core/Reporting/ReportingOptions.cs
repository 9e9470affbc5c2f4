using System.ComponentModel.DataAnnotations;

namespace Escalation.Core.Reporting;

/// <summary>The reports and the SLA at-risk warning (configuration section "Reporting").</summary>
public sealed class ReportingOptions
{
    public const string SectionName = "Reporting";

    /// <summary>A requester is flagged when their escalations reach this share of their unit's tickets in the period…</summary>
    [Range(0.0, 1.0)]
    public double RequesterFlagShare { get; set; } = 0.25;

    /// <summary>…and they asked for at least this many (two escalations in a quiet unit are not abuse).</summary>
    [Range(1, int.MaxValue)]
    public int RequesterFlagMinimum { get; set; } = 3;

    /// <summary>E-mail the assigned agent and the team lead once when a ticket passes 75 % of its window without a response.</summary>
    public bool AtRiskWarnings { get; set; }

    /// <summary>The longest period one report may cover (it reads one document per day).</summary>
    [Range(1, 3660)]
    public int MaxPeriodDays { get; set; } = 400;
}

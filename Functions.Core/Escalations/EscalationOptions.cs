using System.ComponentModel.DataAnnotations;

namespace Escalation.Core.Escalations;

/// <summary>Manager escalations and the coordinator workflow (configuration section "Escalations").</summary>
public sealed class EscalationOptions : IValidatableObject
{
    public const string SectionName = "Escalations";

    /// <summary>
    /// How long the assigned coordinator has to acknowledge: four hours by default, counted in working time when the
    /// SLA business calendar is enabled (Sla:BusinessCalendar), else on the wall clock.
    /// </summary>
    public TimeSpan AcknowledgementWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How often the coordinator is reminded of open checklist steps (at most once per interval).</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The coordinators' address on the Inbound Parse domain: an e-mail sent (or copied) to it is a manager escalation
    /// request rather than a ticket. Empty turns the e-mail path off.
    /// </summary>
    public string? CoordinatorsAddress { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AcknowledgementWindow <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Escalations:AcknowledgementWindow must be positive.", [nameof(AcknowledgementWindow)]);
        }

        if (ReminderInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Escalations:ReminderInterval must be positive.", [nameof(ReminderInterval)]);
        }
    }
}

using Escalation.Core.Sla;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Escalations;

/// <summary>
/// When a coordinator's acknowledgement is due: <see cref="EscalationOptions.AcknowledgementWindow"/> after the
/// assignment, counted in working time on the SLA business calendar when that is enabled (4 working hours by default).
/// </summary>
public sealed class AcknowledgementDeadline
{
    private readonly TimeSpan _window;
    private readonly BusinessCalendar? _calendar;

    public AcknowledgementDeadline(IOptions<EscalationOptions> escalations, IOptions<SlaOptions> sla)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        ArgumentNullException.ThrowIfNull(sla);
        _window = escalations.Value.AcknowledgementWindow;
        _calendar = sla.Value.BusinessCalendar.Enabled ? new BusinessCalendar(sla.Value.BusinessCalendar) : null;
    }

    public DateTimeOffset From(DateTimeOffset assignedAt) => _calendar?.Add(assignedAt, _window) ?? assignedAt + _window;
}

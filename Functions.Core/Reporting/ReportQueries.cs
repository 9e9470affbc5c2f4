using System.Globalization;
using Ardalis.Result;
using Escalation.Core.Identity;
using Escalation.Core.Storage;
using Microsoft.Extensions.Options;

namespace Escalation.Core.Reporting;

/// <summary>
/// The report requests as they arrive over HTTP: who is asking (their <see cref="ReportScope"/>; 403 when none), and
/// the period, grouping and figure as query-string text, checked here so every endpoint answers bad input the same way.
/// </summary>
public sealed class ReportQueries(
    IReportReader reader,
    DirectoryStore directories,
    TicketFacts facts,
    IOptions<ReportingOptions> options,
    TimeProvider timeProvider)
{
    /// <summary>The period when none is given: the last 30 days, today included.</summary>
    public const int DefaultDays = 30;

    public Task<Result<SlaReport>> SlaAsync(Caller caller, string? from, string? to, string? groupBy, CancellationToken cancellationToken) =>
        WithScopeAsync(caller, from, to, groupBy, (scope, period, grouping) => reader.SlaAsync(scope, period, grouping, cancellationToken),
            cancellationToken);

    public Task<Result<IReadOnlyList<ReportTicket>>> SlaTicketsAsync(
        Caller caller, string? from, string? to, string? groupBy, string? key, string? figure, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(key))
        {
            errors.Add(new ValidationError("key", "key names the row: a team, agent, area or division id as the report shows it.", null, ValidationSeverity.Error));
        }

        if (!TryParse<SlaFigure>(figure, out var parsedFigure))
        {
            errors.Add(new ValidationError("figure", $"figure is one of {Names<SlaFigure>()}.", null, ValidationSeverity.Error));
        }

        return errors.Count > 0
            ? Task.FromResult(Result<IReadOnlyList<ReportTicket>>.Invalid(errors))
            : WithScopeAsync(caller, from, to, groupBy, (scope, period, grouping) =>
                reader.SlaTicketsAsync(scope, period, grouping, key!, parsedFigure, cancellationToken), cancellationToken);
    }

    public Task<Result<IReadOnlyList<AtRiskTicket>>> AtRiskAsync(Caller caller, CancellationToken cancellationToken) =>
        WithScopeAsync(caller, null, null, null, (scope, _, _) => reader.AtRiskAsync(scope, cancellationToken), cancellationToken);

    public Task<Result<RequesterReport>> RequestersAsync(Caller caller, string? from, string? to, CancellationToken cancellationToken) =>
        WithScopeAsync(caller, from, to, null, (scope, period, _) => reader.RequestersAsync(scope, period, cancellationToken), cancellationToken,
            requesters: true);

    public Task<Result<IReadOnlyList<RequestedEscalation>>> RequestedByAsync(
        Caller caller, string requesterId, string? from, string? to, CancellationToken cancellationToken) =>
        WithScopeAsync(caller, from, to, null, (scope, period, _) => reader.RequestedByAsync(scope, period, requesterId, cancellationToken),
            cancellationToken, requesters: true);

    private async Task<Result<T>> WithScopeAsync<T>(
        Caller caller,
        string? from,
        string? to,
        string? groupBy,
        Func<ReportScope, ReportPeriod, ReportGrouping, Task<T>> read,
        CancellationToken cancellationToken,
        bool requesters = false)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var errors = new List<ValidationError>();
        var period = Period(from, to, errors);
        var grouping = ReportGrouping.Team;
        if (groupBy is not null && !TryParse(groupBy, out grouping))
        {
            errors.Add(new ValidationError("groupBy", $"groupBy is one of {Names<ReportGrouping>()}.", null, ValidationSeverity.Error));
        }

        if (errors.Count > 0)
        {
            return Result<T>.Invalid(errors);
        }

        var directory = await directories.GetCurrentAsync(cancellationToken);
        if (!directory.IsSuccess)
        {
            return Result<T>.Unavailable("The org directory is not loaded yet; reports need it.");
        }

        var scope = ReportScope.For(caller, directory.Value);
        if (scope is null || (requesters && !scope.SeesRequesters))
        {
            return Result<T>.Forbidden(requesters
                ? "Escalation requester reports are for managers, area leads, coordinators, the CIO's office and admins."
                : "Reports are for agents (their own figures), team leads, area and division managers, coordinators, the CIO's office and admins.");
        }

        var started = timeProvider.GetTimestamp();
        var report = await read(scope, period!, grouping);
        EscalationTelemetry.ReportAnswered(timeProvider.GetElapsedTime(started));
        return Result<T>.Success(report);
    }

    private ReportPeriod? Period(string? from, string? to, List<ValidationError> errors)
    {
        var today = facts.DayOf(timeProvider.GetUtcNow());
        var end = ParseDay(to, "to", errors) ?? today;
        var start = ParseDay(from, "from", errors) ?? end.AddDays(1 - DefaultDays);
        if (errors.Count > 0)
        {
            return null;
        }

        if (start > end)
        {
            errors.Add(new ValidationError("from", "from must not be after to.", null, ValidationSeverity.Error));
        }
        else if (end.DayNumber - start.DayNumber + 1 > options.Value.MaxPeriodDays)
        {
            errors.Add(new ValidationError("from", $"A report covers at most {options.Value.MaxPeriodDays} days.", null, ValidationSeverity.Error));
        }

        return new ReportPeriod(start, end);
    }

    private static DateOnly? ParseDay(string? value, string name, List<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(new ValidationError(name, $"{name} is a date as yyyy-MM-dd.", null, ValidationSeverity.Error));
        return null;
    }

    private static bool TryParse<TEnum>(string? value, out TEnum parsed)
        where TEnum : struct, Enum =>
        Enum.TryParse(value, ignoreCase: true, out parsed) && !int.TryParse(value, out _) && Enum.IsDefined(parsed);

    private static string Names<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetNames<TEnum>().Select(JsonNamingPolicyCamel));

    private static string JsonNamingPolicyCamel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}

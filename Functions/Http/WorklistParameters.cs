using System.Globalization;
using Escalation.Core.Tickets;
using Escalation.Core.Worklist;
using Microsoft.AspNetCore.Http;

namespace Escalation.Functions.Http;

/// <summary>The query string of GET /api/tickets, read into a worklist request; every unknown value is an error naming its parameter.</summary>
internal sealed record WorklistParameters(bool Mine, WorklistRequest Request, int? PageSize, Dictionary<string, string[]> Errors)
{
    public static WorklistParameters Read(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? Value(string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;
        T? Parse<T>(string name, Func<string, (bool Ok, T Value)> parse, string expected)
            where T : struct
        {
            if (Value(name) is not { } text)
            {
                return null;
            }

            var (ok, value) = parse(text);
            if (!ok)
            {
                errors[name] = [$"{name} is {expected}."];
                return null;
            }

            return value;
        }

        static (bool, T) Named<T>(string text)
            where T : struct, Enum => (WorklistNames.TryParse<T>(text, out var value), value);

        // Ticket fields by their JSON names (inProgress, critical, voicemail).
        static (bool, T) Json<T>(string text)
            where T : struct, Enum
        {
            var match = Enum.GetValues<T>().Where(v => JsonName(v) == text).ToList();
            return (match.Count == 1, match.FirstOrDefault());
        }

        var requester = Value("requester");
        if (requester is not null && requester != "me")
        {
            errors["requester"] = ["requester is me (your own tickets) or absent (the worklist)."];
        }

        var view = Parse("view", Named<WorklistView>, OneOf<WorklistView>()) ?? WorklistView.Open;
        var sort = Parse("sort", Named<WorklistSort>, OneOf<WorklistSort>()) ?? WorklistSort.Due;
        var status = Parse("status", Json<TicketStatus>, OneOfJson<TicketStatus>());
        var priority = Parse("priority", Json<Priority>, OneOfJson<Priority>());
        var channel = Parse("channel", Json<Channel>, OneOfJson<Channel>());
        var pageSize = Parse("pageSize", text => (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n), n), "a whole number");
        var filter = new WorklistFilter(Value("team"), status, priority, channel, Value("q"));
        return new WorklistParameters(requester == "me", new WorklistRequest(view, filter, sort, Value("continuation"), pageSize ?? TicketWorklist.DefaultPageSize),
            pageSize, errors);
    }

    private static string OneOf<T>()
        where T : struct, Enum => "one of " + string.Join(", ", Enum.GetValues<T>().Select(v => WorklistNames.Of(v)));

    private static string OneOfJson<T>()
        where T : struct, Enum => "one of " + string.Join(", ", Enum.GetValues<T>().Select(v => JsonName(v)));

    private static string JsonName<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

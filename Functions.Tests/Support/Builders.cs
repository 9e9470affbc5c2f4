using System.Text.Json;
using Escalation.Core;
using Escalation.Core.Organization;
using Escalation.Core.Tickets;

namespace Escalation.Tests.Support;

/// <summary>Test data. The directory is the demo directory that `run-local` seeds, so tests and demo agree.</summary>
internal static class Builders
{
    public static readonly DateTimeOffset Monday9am = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The demo directory. Its teams take no assignment mail unless <paramref name="assignmentMail"/> (as teams that work
    /// from the console): the tests of other features then count only the mails they are about, and no background
    /// delivery reads their tickets; AssignmentNoticeTests turn it on.
    /// </summary>
    public static OrgDirectoryDocument DirectoryDocument(bool assignmentMail = false)
    {
        var document = JsonSerializer.Deserialize<OrgDirectoryDocument>(DirectoryJson(), EscalationJson.Options)!;
        return assignmentMail ? document : document with { Teams = [.. document.Teams.Select(t => t with { NotifyOnAssignment = false })] };
    }

    public static string DirectoryJson() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "demo-directory.json"));

    public static OrgDirectory Directory() => OrgDirectory.Create(DirectoryDocument()).Value;

    /// <summary>Console links as a deployment at https://desk.example.edu makes them.</summary>
    public static readonly Escalation.Core.Conversation.ConsoleLinks Links = new("https://desk.example.edu");

    public static Ticket Ticket(
        string number = "SD-1001",
        Assignment? assignment = null,
        DateTimeOffset? createdAt = null,
        TimeSpan? window = null,
        string requesterId = "user-ursula") =>
        Escalation.Core.Tickets.Ticket.Open(number, Channel.Web, $"key-{number}",
            new Requester(requesterId, "Ursula User", "ursula.user@example.edu"),
            "Laptop will not boot", "It shows a black screen.", null, Priority.Normal,
            assignment ?? new Assignment("service-desk", "agent-ann"), flags: [],
            createdAt ?? Monday9am, (createdAt ?? Monday9am) + (window ?? TimeSpan.FromDays(2)));
}

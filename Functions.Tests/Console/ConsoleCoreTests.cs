using Escalation.Core.Identity;
using Escalation.Core.Sla;
using Escalation.Core.Tickets;
using Escalation.Core.WebConsole;
using Escalation.Tests.Support;
using Microsoft.Extensions.Options;

namespace Escalation.Tests.WebConsole;

/// <summary>The console's pure pieces: the caller's profile, static file resolution, the SLA clock.</summary>
public sealed class ConsoleCoreTests
{
    [Fact]
    public void A_coordinator_gets_the_queue_and_every_report()
    {
        var profile = ConsoleProfile.For(HttpCall.Person("coord-carl", Roles.Coordinator), Builders.Directory());

        (profile.Coordinator, profile.Queue, profile.Reports!.Everything, profile.Reports.SeesRequesters).ShouldBe((true, true, true, true));
        profile.Name.ShouldBe("Carl Coordinator");
        profile.Coordinators.Select(c => c.Id).ShouldBe(["coord-cora", "coord-carl"]);
    }

    [Fact]
    public void A_director_sees_their_areas_teams_an_agent_their_own_figures_and_a_user_nothing()
    {
        var directory = Builders.Directory();

        var dana = ConsoleProfile.For(HttpCall.Person("dir-uss", Roles.Manager), directory);
        dana.Reports!.TeamIds.ShouldBe(["service-desk"]);
        dana.Coordinator.ShouldBeFalse();

        var ann = ConsoleProfile.For(HttpCall.Person("agent-ann", Roles.Agent), directory);
        (ann.Agent, ann.TeamName, ann.Reports!.AgentId, ann.Reports.SeesRequesters).ShouldBe((true, "Service Desk", "agent-ann", false));

        var morgan = ConsoleProfile.For(HttpCall.Person("coord-mgr", Roles.Manager), directory);
        morgan.CoordinatorManager.ShouldBeTrue();

        var ursula = ConsoleProfile.For(HttpCall.Person("user-ursula"), directory);
        (ursula.Queue, ursula.Reports, ursula.Agent).ShouldBe((false, null, false));
        ursula.Teams.ShouldBeEmpty("a requester's profile names nobody else");
        ursula.Coordinators.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../host.json")]
    [InlineData("..%2fhost.json")]
    [InlineData("/etc/passwd")]
    [InlineData(".hidden.js")]
    [InlineData("sub/console.js")]
    [InlineData("console.exe")]
    [InlineData("missing.js")]
    public void Only_plain_file_names_of_the_console_folder_are_served(string name)
    {
        using var root = new TempFolder();
        File.WriteAllText(Path.Combine(root.Path, "host.json"), "{}");

        ConsoleAssets.Find(root.Path, name).ShouldBeNull();
    }

    [Fact]
    public void Console_files_get_their_media_type_and_the_chart_library_a_longer_cache()
    {
        using var root = new TempFolder();
        foreach (var file in new[] { "index.html", "console.js", "chart.umd.min.js" })
        {
            File.WriteAllText(Path.Combine(root.ConsoleFolder, file), "x");
        }

        ConsoleAssets.Find(root.Path, null)!.ContentType.ShouldBe("text/html; charset=utf-8");
        ConsoleAssets.Find(root.Path, "console.js")!.ShouldSatisfyAllConditions(
            a => a.ContentType.ShouldBe("text/javascript; charset=utf-8"), a => a.CacheControl.ShouldBe("no-cache"));
        ConsoleAssets.Find(root.Path, "chart.umd.min.js")!.CacheControl.ShouldBe("public, max-age=86400");
    }

    [Fact]
    public void The_clock_counts_working_time_left_when_the_business_calendar_is_on()
    {
        var options = new SlaOptions { DefaultWindow = TimeSpan.FromDays(2) };
        options.BusinessCalendar.Enabled = true;
        var clock = new SlaClock(Options.Create(options));
        // Opened Monday 09:00, due Wednesday 09:00 (two working days of 08:00-17:00); now Monday 20:00 (after hours).
        var ticket = TicketView.Of(Builders.Ticket(window: TimeSpan.FromDays(2)), Builders.Monday9am);

        var view = clock.Of(ticket, Builders.Monday9am.AddHours(11));

        view.BusinessTime.ShouldBeTrue();
        view.Running.ShouldBeTrue();
        view.RemainingSeconds.ShouldBe(TimeSpan.FromHours(10).TotalSeconds, "Tuesday's 9 h and Wednesday 08:00-09:00");
        view.Elapsed.ShouldBe(Math.Round(8.0 / 18, 4));
    }

    [Fact]
    public void A_breached_clock_says_how_late_and_a_met_one_stops()
    {
        var clock = new SlaClock(Options.Create(new SlaOptions()));
        var ticket = Builders.Ticket(window: TimeSpan.FromHours(4));

        var late = clock.Of(TicketView.Of(ticket, Builders.Monday9am.AddHours(5)), Builders.Monday9am.AddHours(5));
        (late.Status, late.OverdueSeconds, late.RemainingSeconds, late.Elapsed).ShouldBe((SlaStatus.Breached, 3600d, null, 1.25));

        ticket.FirstResponseAt = Builders.Monday9am.AddHours(1);
        var met = clock.Of(TicketView.Of(ticket, Builders.Monday9am.AddHours(5)), Builders.Monday9am.AddHours(5));
        (met.Status, met.Running, met.RemainingSeconds, met.Elapsed).ShouldBe((SlaStatus.Met, false, 3 * 3600d, 0.25));
    }

    private sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = Directory.CreateTempSubdirectory("console-assets-").FullName;
            ConsoleFolder = System.IO.Path.Combine(Path, ConsoleAssets.FolderName);
            Directory.CreateDirectory(ConsoleFolder);
        }

        public string Path { get; }

        public string ConsoleFolder { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

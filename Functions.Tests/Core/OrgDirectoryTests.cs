using Escalation.Core.Organization;
using Escalation.Tests.Support;

namespace Escalation.Tests.Core;

public class OrgDirectoryTests
{
    [Fact]
    public void The_demo_directory_is_valid()
    {
        var result = OrgDirectory.Create(Builders.DirectoryDocument());
        result.IsSuccess.ShouldBeTrue(string.Join("; ", result.ValidationErrors.Select(e => e.ErrorMessage)));
    }

    [Fact]
    public void Unknown_references_are_rejected_with_their_location()
    {
        var document = Builders.DirectoryDocument();
        document = document with
        {
            People = [.. document.People.Select(p => p.Id == "agent-ann" ? p with { ManagerId = "nobody" } : p)],
            Teams = [.. document.Teams, new TeamRecord("ghost-team", "Ghost", AreaId: "no-area")],
        };

        var errors = Errors(document);

        errors.ShouldContain("people 'agent-ann': unknown manager 'nobody'.");
        errors.ShouldContain("teams 'ghost-team': unknown IT area 'no-area'.");
    }

    [Fact]
    public void A_cycle_in_the_manager_chain_is_rejected_once()
    {
        var document = Builders.DirectoryDocument();
        document = document with
        {
            People = [.. document.People.Select(p => p.Id == "cio" ? p with { ManagerId = "agent-ann" } : p)],
        };

        var errors = Errors(document).Where(e => e.Contains("cycle", StringComparison.Ordinal)).ToList();

        errors.Count.ShouldBe(1);
        errors[0].ShouldContain("cio");
        errors[0].ShouldContain("agent-ann");
    }

    [Fact]
    public void Duplicate_ids_missing_sections_and_null_entries_are_rejected()
    {
        var document = Builders.DirectoryDocument();
        Errors(document with { People = [.. document.People, document.People[0]] }).ShouldContain("people: duplicate id 'cio'.");
        Errors(document with { Routing = null }).ShouldContain(e => e.StartsWith("routing:", StringComparison.Ordinal));
        Errors(document with { Teams = [null!] }).ShouldBe(["teams: must be a list of objects."]);
        Errors(document with { CioId = null }).ShouldContain("directory: person (cioId) is required.");
    }

    [Fact]
    public void A_team_belongs_to_exactly_one_area_or_division()
    {
        var document = Builders.DirectoryDocument();
        document = document with { Teams = [.. document.Teams, new TeamRecord("both", "Both", "uss", "facilities")] };

        Errors(document).ShouldContain("teams 'both': exactly one of areaId or divisionId is required.");
    }

    [Fact]
    public void People_are_found_by_email_and_phone_in_any_format()
    {
        var directory = Builders.Directory();

        directory.FindPersonByEmail("URSULA.user@example.edu")!.Id.ShouldBe("user-ursula");
        directory.FindPersonByPhone("+15550102000")!.Id.ShouldBe("user-ursula");
        directory.FindPersonByPhone("+1-555-010-1001")!.Id.ShouldBe("agent-ann");
        directory.FindPersonByEmail("stranger@example.com").ShouldBeNull();
    }

    [Fact]
    public void ManagerChain_walks_up_to_the_top()
    {
        Builders.Directory().ManagerChain("user-ursula").Select(p => p.Id).ShouldBe(["prof-paul", "dean-science"]);
    }

    private static List<string> Errors(OrgDirectoryDocument document) =>
        OrgDirectory.Create(document).ValidationErrors.Select(e => e.ErrorMessage).ToList();
}

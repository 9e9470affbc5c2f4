using System.Text;
using Escalation.Core.Identity;

namespace Escalation.Tests.Core;

public class IdentityTests
{
    [Fact]
    public void The_App_Service_principal_gives_id_name_email_and_roles()
    {
        var header = ClientPrincipal.Encode("oid-1", "Ann Agent", "ann.agent@example.edu", "agent", "admin");

        var caller = ClientPrincipal.Parse(header)!;

        caller.Id.ShouldBe("oid-1");
        caller.Name.ShouldBe("Ann Agent");
        caller.Email.ShouldBe("ann.agent@example.edu");
        caller.IsInRole(Roles.Agent).ShouldBeTrue();
        caller.IsInRole(Roles.Coordinator).ShouldBeFalse();
        caller.IsStaff.ShouldBeTrue();
    }

    [Fact]
    public void A_principal_with_a_custom_role_claim_type_is_read()
    {
        const string json = """{"auth_typ":"aad","name_typ":"name","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","claims":[{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"oid-9"},{"typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","val":"manager"}]}""";

        var caller = ClientPrincipal.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)))!;

        caller.Id.ShouldBe("oid-9");
        caller.Roles.ShouldBe(["manager"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("bm90IGpzb24=")] // "not json"
    [InlineData("eyJjbGFpbXMiOltdfQ==")] // {"claims":[]}: no id
    public void Anything_else_is_no_principal(string? header) => ClientPrincipal.Parse(header).ShouldBeNull();

    [Fact]
    public void The_development_header_gives_id_name_email_and_roles()
    {
        var caller = DevelopmentIdentity.Parse("agent-ann;Ann Agent;ann.agent@example.edu;agent, admin")!;

        caller.Id.ShouldBe("agent-ann");
        caller.Roles.ShouldBe(["agent", "admin"], ignoreOrder: true);
        DevelopmentIdentity.Parse("user-ursula")!.Roles.ShouldBeEmpty();
        DevelopmentIdentity.Parse(";no id").ShouldBeNull();
    }
}

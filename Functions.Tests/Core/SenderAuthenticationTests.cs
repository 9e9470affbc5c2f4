using Escalation.Core.Intake.Email;

namespace Escalation.Tests.Core;

public class SenderAuthenticationTests
{
    private const string Ann = "ann.agent@example.edu";

    [Theory]
    [InlineData("pass", "{@example.edu : pass}", Ann, Ann, SenderVerdict.Verified)]
    [InlineData("none", "{@example.edu : pass}", Ann, Ann, SenderVerdict.Verified)]
    [InlineData("fail", "{@example.edu : pass}", Ann, Ann, SenderVerdict.Verified)] // forwarded: SPF broke, DKIM survived
    [InlineData("pass", "none", Ann, Ann, SenderVerdict.Verified)]
    [InlineData("pass (sender SPF authorized)", "", Ann, "bounces@example.edu", SenderVerdict.Verified)]
    [InlineData("PASS", "{@EXAMPLE.EDU. : PASS}", Ann, null, SenderVerdict.Verified)]
    [InlineData("none", "{@example.edu : pass (good signature)}", Ann, null, SenderVerdict.Verified)]
    [InlineData("none", "{@example.edu : pass}", "ann@cs.example.edu", null, SenderVerdict.Verified)] // a parent domain vouches for a subdomain
    [InlineData("neutral", "{@example.edu : fail, @sendgrid.net : pass}", Ann, Ann, SenderVerdict.Unverified)]
    [InlineData("pass", "{@attacker.example : pass}", Ann, "mallory@attacker.example", SenderVerdict.Unverified)] // SPF for another domain
    [InlineData("pass", null, Ann, null, SenderVerdict.Unverified)] // no envelope sender to align
    [InlineData("none", "{@cs.example.edu : pass}", Ann, null, SenderVerdict.Unverified)] // a subdomain does not vouch for its parent
    [InlineData("none", "{@notexample.edu : pass}", Ann, null, SenderVerdict.Unverified)]
    [InlineData("none", "{@example.edu.attacker.example : pass}", Ann, null, SenderVerdict.Unverified)]
    [InlineData("none", "{@edu : pass}", Ann, null, SenderVerdict.Unverified)] // a bare top-level label is no alignment
    [InlineData("none", "{@example.edu pass}", Ann, null, SenderVerdict.Unverified)] // unreadable entry
    [InlineData("temperror", "{{{", Ann, Ann, SenderVerdict.Unverified)]
    [InlineData(null, null, Ann, null, SenderVerdict.Unverified)]
    [InlineData("none", "{@example.edu : fail}", Ann, Ann, SenderVerdict.Unverified)] // SPF did not fail
    [InlineData("fail", "{@example.edu : fail}", Ann, Ann, SenderVerdict.Forged)]
    [InlineData("fail", "{@example.edu : fail, @sendgrid.net : pass}", Ann, Ann, SenderVerdict.Forged)]
    [InlineData("softfail", "", Ann, Ann, SenderVerdict.Forged)]
    [InlineData("Fail", "none", Ann, null, SenderVerdict.Forged)]
    [InlineData("fail", "{@example.edu : pass}", "not-an-address", null, SenderVerdict.Forged)]
    public void The_verdict_follows_SPF_and_DKIM_for_the_From_domain(string? spf, string? dkim, string from, string? envelopeFrom, SenderVerdict expected) =>
        SenderAuthentication.Evaluate(spf, dkim, from, envelopeFrom).ShouldBe(expected);
}

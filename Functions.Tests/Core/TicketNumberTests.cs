using Escalation.Core.Tickets;

namespace Escalation.Tests.Core;

public class TicketNumberTests
{
    [Theory]
    [InlineData("SD-1042", "SD-1042")]
    [InlineData(" sd-1042 ", "SD-1042")]
    public void TryNormalize_accepts_ticket_numbers_in_any_case(string input, string expected)
    {
        TicketNumber.TryNormalize(input, out var number).ShouldBeTrue();
        number.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1042")]
    [InlineData("SD-")]
    [InlineData("SD-0042")]
    [InlineData("SD-1042x")]
    [InlineData("SD-12345678901234")]
    public void TryNormalize_rejects_anything_else(string? input) =>
        TicketNumber.TryNormalize(input, out _).ShouldBeFalse();

    [Theory]
    [InlineData("Re: [SD-1042] Printer jam", "SD-1042")]
    [InlineData("RE: FW: sd-77 still broken", "SD-77")]
    public void TryFind_finds_the_token_in_a_subject(string subject, string expected)
    {
        TicketNumber.TryFind(subject, out var number).ShouldBeTrue();
        number.ShouldBe(expected);
    }

    [Theory]
    [InlineData("Printer jam")]
    [InlineData("CSD-1042 is not ours")]
    public void TryFind_ignores_text_without_a_token(string subject) =>
        TicketNumber.TryFind(subject, out _).ShouldBeFalse();

    [Fact]
    public void Format_prefixes_the_sequence() => TicketNumber.Format(1001).ShouldBe("SD-1001");
}

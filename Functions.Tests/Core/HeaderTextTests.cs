using Escalation.Core;

namespace Escalation.Tests.Core;

public class HeaderTextTests
{
    [Theory]
    [InlineData("Help\r\nBcc: attacker@example.com", "Help Bcc: attacker@example.com")]
    [InlineData("  Printer\n\n\tjammed  ", "Printer jammed")]
    [InlineData("a\u2028b\u2029c\u0085d", "a b c d")]
    [InlineData("null\0byte and bell\u0007", "null byte and bell")]
    [InlineData("\r\n\r\n", "")]
    [InlineData(null, "")]
    [InlineData("Café « Erreur 42 »", "Café « Erreur 42 »")]
    public void Line_breaks_and_control_characters_become_one_space(string? value, string expected) =>
        HeaderText.Normalise(value).ShouldBe(expected);

    [Fact]
    public void Long_values_are_capped_without_splitting_a_surrogate_pair()
    {
        HeaderText.Normalise(new string('x', 5000)).Length.ShouldBe(HeaderText.MaxLength);
        HeaderText.Normalise("abc😀", 4).ShouldBe("abc");
        HeaderText.NormaliseOptional(" \r\n ").ShouldBeNull();
    }

    [Theory]
    [InlineData("image/png", "image/png")]
    [InlineData("Text/Plain; charset=utf-8", "text/plain")]
    [InlineData("application/vnd.ms-excel", "application/vnd.ms-excel")]
    [InlineData("text/plain\r\nX-Injected: yes", "application/octet-stream")]
    [InlineData("image/pngé", "application/octet-stream")]
    [InlineData("изображение/png", "application/octet-stream")]
    [InlineData("png", "application/octet-stream")]
    [InlineData("a/b/c", "application/octet-stream")]
    [InlineData("", "application/octet-stream")]
    [InlineData(null, "application/octet-stream")]
    public void Content_types_that_are_not_media_types_become_octet_stream(string? value, string expected) =>
        HeaderText.MediaType(value).ShouldBe(expected);
}

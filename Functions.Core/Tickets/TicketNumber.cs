using System.Globalization;
using System.Text.RegularExpressions;

namespace Escalation.Core.Tickets;

/// <summary>
/// The short human-readable ticket number, "SD-" followed by a sequence number (see docs/decisions/0001).
/// </summary>
public static partial class TicketNumber
{
    public const string Prefix = "SD-";

    public static string Format(long sequence) =>
        Prefix + sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>Normalises user input such as "sd-1042" to "SD-1042"; false when it is not a ticket number.</summary>
    public static bool TryNormalize(string? candidate, out string ticketNumber)
    {
        ticketNumber = string.Empty;
        if (candidate is null)
        {
            return false;
        }

        var match = ExactPattern().Match(candidate.Trim());
        if (!match.Success)
        {
            return false;
        }

        ticketNumber = Prefix + match.Groups["n"].Value;
        return true;
    }

    /// <summary>Finds the first ticket-number token in free text such as an e-mail subject ("Re: [SD-1042] Printer").</summary>
    public static bool TryFind(string? text, out string ticketNumber)
    {
        ticketNumber = string.Empty;
        if (text is null)
        {
            return false;
        }

        var match = TokenPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        ticketNumber = Prefix + match.Groups["n"].Value;
        return true;
    }

    [GeneratedRegex(@"^SD-(?<n>[1-9][0-9]{0,11})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExactPattern();

    [GeneratedRegex(@"\bSD-(?<n>[1-9][0-9]{0,11})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}

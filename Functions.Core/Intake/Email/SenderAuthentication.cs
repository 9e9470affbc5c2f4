namespace Escalation.Core.Intake.Email;

public enum SenderVerdict
{
    /// <summary>DKIM or SPF passed for the From address's domain: the mail may count as a staff response.</summary>
    Verified,

    /// <summary>Nothing proves the From address, but nothing disproves it either.</summary>
    Unverified,

    /// <summary>SPF failed (fail or softfail) and no DKIM signature passed for the From domain: likely forged.</summary>
    Forged,
}

/// <summary>
/// Reads SendGrid Inbound Parse's `SPF` (e.g. "pass", "softfail") and `dkim` (e.g. "{@example.edu : pass,
/// @sendgrid.net : pass}") fields. A result counts for the From address only when its domain is aligned: the From
/// domain itself or a parent of it (d=example.edu vouches for cs.example.edu, never the reverse, never a bare
/// top-level label). SPF authenticates the envelope sender, so an SPF pass counts only when the envelope sender's
/// domain is aligned in the same way; without an envelope sender it does not count.
/// </summary>
public static class SenderAuthentication
{
    public static SenderVerdict Evaluate(string? spf, string? dkim, string fromAddress, string? envelopeFrom)
    {
        ArgumentNullException.ThrowIfNull(fromAddress);
        var fromDomain = Domain(fromAddress);
        var spfResult = FirstWord(spf);
        var dkimPass = DkimResults(dkim).Any(r => r.Result == "pass" && Aligned(r.Domain, fromDomain));
        var spfPass = spfResult == "pass" && envelopeFrom is not null && Aligned(Domain(envelopeFrom), fromDomain);
        if (dkimPass || spfPass)
        {
            return SenderVerdict.Verified;
        }

        return spfResult is "fail" or "softfail" ? SenderVerdict.Forged : SenderVerdict.Unverified;
    }

    /// <summary>The (domain, result) pairs of a `dkim` field; entries it cannot read are skipped.</summary>
    internal static IEnumerable<(string Domain, string Result)> DkimResults(string? dkim)
    {
        foreach (var entry in (dkim ?? string.Empty).Trim().TrimStart('{').TrimEnd('}').Split(','))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                yield return (NormaliseDomain(entry[..colon].Trim().TrimStart('@')), FirstWord(entry[(colon + 1)..]));
            }
        }
    }

    /// <summary>True when <paramref name="authenticated"/> is the From domain or a parent domain of it.</summary>
    private static bool Aligned(string authenticated, string fromDomain) =>
        authenticated.Contains('.', StringComparison.Ordinal)
        && fromDomain.Length > 0
        && (fromDomain == authenticated || fromDomain.EndsWith("." + authenticated, StringComparison.Ordinal));

    private static string Domain(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? string.Empty : NormaliseDomain(address[(at + 1)..].Trim().TrimEnd('>'));
    }

    private static string NormaliseDomain(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    private static string FirstWord(string? value) =>
        (value ?? string.Empty).Trim().Split([' ', '\t', '(', ';'], 2)[0].ToLowerInvariant();
}

namespace Escalation.Core.Organization;

public static class PhoneNumber
{
    /// <summary>Digits only, keeping a leading '+', so "+1 (555) 010-2000" and "+15550102000" match. Null when empty.</summary>
    public static string? Normalize(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var trimmed = phone.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0)
        {
            return null;
        }

        return trimmed.StartsWith('+') ? "+" + digits : digits;
    }
}

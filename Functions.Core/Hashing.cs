using System.Security.Cryptography;
using System.Text;

namespace Escalation.Core;

internal static class Hashing
{
    /// <summary>Lower-case hex SHA-256 of the parts joined by a unit separator (so "a","bc" differs from "ab","c").</summary>
    public static string Sha256Hex(params string?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))));
}

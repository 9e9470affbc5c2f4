using System.Globalization;

namespace Escalation.Core;

/// <summary>A time as people read it in mails and history summaries: day, date, hour and the zone (UTC), never an ISO string.</summary>
public static class ReadableTime
{
    public static string Of(DateTimeOffset at) => at.ToUniversalTime().ToString("ddd d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

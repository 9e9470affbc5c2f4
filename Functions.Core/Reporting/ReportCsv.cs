using System.Globalization;
using CsvHelper;

namespace Escalation.Core.Reporting;

/// <summary>The reports as CSV for spreadsheets (RFC 4180; cells that a spreadsheet would run as a formula are escaped).</summary>
public static class ReportCsv
{
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };

    public static string Sla(SlaReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Write(csv =>
        {
            Fields(csv, report.GroupBy.ToString().ToLowerInvariant(), "name", "opened", "respondedInTime", "breached", "metRate",
                "medianFirstResponseSeconds", "p90FirstResponseSeconds", "automaticEscalations", "managerEscalations", "atRisk50", "atRisk75");
            foreach (var row in report.Rows.Append(new SlaRow("total", "All", report.Total)))
            {
                var f = row.Figures;
                Fields(csv, row.Key, row.Name, f.Opened, f.RespondedInTime, f.Breached, f.MetRate, f.MedianFirstResponseSeconds,
                    f.P90FirstResponseSeconds, f.AutomaticEscalations, f.ManagerEscalations, f.AtRisk50, f.AtRisk75);
            }
        });
    }

    public static string Requesters(RequesterReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Write(csv =>
        {
            Fields(csv, "requesterId", "name", "unitId", "unitName", "requested", "merged", "insideSla", "unitTickets", "share", "flagged");
            foreach (var r in report.Rows)
            {
                Fields(csv, r.RequesterId, r.Name, r.UnitId, r.UnitName, r.Requested, r.Merged, r.InsideSla, r.UnitTickets, r.Share, r.Flagged);
            }
        });
    }

    private static string Write(Action<CsvWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, true))
        {
            write(csv);
        }

        return text.ToString();
    }

    private static void Fields(CsvWriter csv, params object?[] values)
    {
        foreach (var value in values)
        {
            csv.WriteField(value switch
            {
                null => string.Empty,
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            });
        }

        csv.EndRecord();
    }
}

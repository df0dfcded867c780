using System.Globalization;
using System.Text;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Reports.Internal;

/// <summary>The words and numbers every text view of a report shares: invariant culture, short, never "NaN".</summary>
internal static class ReportText
{
    /// <summary>A value as a person reads it: up to 4 significant digits; "n/a" when not computed, "∞" when unbounded.</summary>
    public static string Number(double value) => value switch
    {
        double.NaN => "n/a",
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "-∞",
        _ => value.ToString("G4", CultureInfo.InvariantCulture),
    };

    /// <summary>A share (0–1) in percent.</summary>
    public static string Percent(double share) =>
        double.IsFinite(share) ? (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %" : Number(share);

    /// <summary>A count of requests.</summary>
    public static string Count(double count) =>
        double.IsFinite(count) ? count.ToString("0.#", CultureInfo.InvariantCulture) : Number(count);

    /// <summary>A time in UTC, ISO 8601 to the second.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time in UTC, ISO 8601 (the JUnit timestamp form, without zone).</summary>
    public static string IsoTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>An endpoint's own evidence against its boundary, e.g. <c>evidence 2378 / boundary 416.7</c>; empty without evidence.</summary>
    public static string Evidence(ReportEndpoint row) =>
        row.EvidenceKind == EvidenceKind.None || double.IsNaN(row.EvidenceValue) ? string.Empty : $"evidence {Number(row.EvidenceValue)} / boundary {Number(row.EvidenceBoundary)}";

    /// <summary>The endpoint's name as shown (an empty label is named).</summary>
    public static string Endpoint(string endpoint) => endpoint.Length == 0 ? "(no endpoint label)" : endpoint;

    /// <summary>The check's full name: its step and its name.</summary>
    public static string CheckName(ReportCheck check) => check.Step is { } step ? $"{step}/{check.Name}" : check.Name;

    /// <summary>The outcome in words.</summary>
    public static string Outcome(CanaryReport report) => report.Action switch
    {
        RolloutAction.Promote when report.AnalysisSkipped => "Promoted, analysis skipped",
        RolloutAction.Promote => "Promoted",
        RolloutAction.Rollback => "Rolled back",
        RolloutAction.Pause => "Paused: a human decides",
        RolloutAction.Advance or RolloutAction.Continue => "In progress",
        _ => Status(report.Status),
    };

    /// <summary>A status in words.</summary>
    public static string Status(ReportStatus status) => status switch
    {
        ReportStatus.Passed => "Pass",
        ReportStatus.Failed => "Fail",
        ReportStatus.Inconclusive => "Inconclusive",
        ReportStatus.Error => "Error",
        _ => "Running",
    };

    /// <summary>An endpoint status in words.</summary>
    public static string Status(EndpointStatus status) => status switch
    {
        EndpointStatus.Judged => "judged",
        EndpointStatus.LimitBreached => "limit breached",
        EndpointStatus.Insufficient => "not enough data",
        _ => "excluded",
    };

    /// <summary>The text with invalid UTF-16 (lone surrogates) replaced, so that every writer can encode it.</summary>
    public static string Clean(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogate(text[i]) && !(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                return Replace(text);
            }

            if (char.IsHighSurrogate(text[i]))
            {
                i++;
            }
        }

        return text;
    }

    private static string Replace(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var rune in EnumerateRunes(text))
        {
            clean.Append(rune.ToString());
        }

        return clean.ToString();
    }

    private static IEnumerable<Rune> EnumerateRunes(string text)
    {
        var index = 0;
        while (index < text.Length)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
            yield return status == System.Buffers.OperationStatus.Done ? rune : Rune.ReplacementChar;
            index += Math.Max(consumed, 1);
        }
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Canary.Analysis.Reports.Internal;

namespace Canary.Analysis.Reports;

/// <summary>
/// Writes a <see cref="CanaryReport"/> as JSON that follows the schema at <see cref="CanaryReport.SchemaUri"/> (its
/// <c>schema</c> member; shipped as <c>docs/schemas/report-v1.json</c>). JSON has no NaN: a value that was not computed is
/// <c>null</c>, an infinite one the string <c>"Infinity"</c> or <c>"-Infinity"</c>. Source-generated (AOT-safe).
/// </summary>
public static class ReportJsonWriter
{
    // The source-generated contract, writing every script as itself ("≥", "α", accented names) rather than as \u escapes;
    // characters that are unsafe in HTML or JSON are still escaped.
    private static readonly JsonTypeInfo<CanaryReport> Contract = new ReportJsonContext(new JsonSerializerOptions(ReportJsonContext.Default.Options)
    {
        TypeInfoResolver = null,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    }).CanaryReport;

    /// <summary>The report as JSON text.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON.</returns>
    public static string Write(CanaryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Contract);
    }

    /// <summary>Writes the report as UTF-8 JSON to <paramref name="stream"/>.</summary>
    /// <param name="report">The report.</param>
    /// <param name="stream">Where to write.</param>
    /// <param name="cancellationToken">Stops writing.</param>
    /// <returns>A task that completes when written.</returns>
    public static Task WriteAsync(CanaryReport report, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        return JsonSerializer.SerializeAsync(stream, report, Contract, cancellationToken);
    }
}

using System.Text;

namespace Canary.Analysis.Reports;

/// <summary>Writes a <see cref="CanaryReport"/> in every format into one directory (a CI artifact, a step summary, a test report).</summary>
public static class ReportWriter
{
    /// <summary>The JSON report's file name (<see cref="ReportJsonWriter"/>).</summary>
    public const string JsonFileName = "report.json";

    /// <summary>The Markdown summary's file name (<see cref="MarkdownReportWriter"/>).</summary>
    public const string MarkdownFileName = "summary.md";

    /// <summary>The JUnit XML file name (<see cref="JUnitReportWriter"/>).</summary>
    public const string JUnitFileName = "junit.xml";

    /// <summary>The HTML report's file name (<see cref="HtmlReportWriter"/>).</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>
    /// Writes <c>report.json</c>, <c>summary.md</c>, <c>junit.xml</c> and <c>report.html</c> into <paramref name="directory"/>
    /// (created when missing; existing files of those names are replaced), UTF-8 without a byte order mark.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="directory">The directory.</param>
    /// <param name="cancellationToken">Stops writing.</param>
    /// <returns>The four files' full paths, in the order above.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public static async Task<IReadOnlyList<string>> WriteAsync(CanaryReport report, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Directory.CreateDirectory(directory).FullName;
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var files = new (string Name, string Text)[]
        {
            (JsonFileName, ReportJsonWriter.Write(report)),
            (MarkdownFileName, MarkdownReportWriter.Write(report)),
            (JUnitFileName, JUnitReportWriter.Write(report)),
            (HtmlFileName, HtmlReportWriter.Write(report)),
        };
        var paths = new List<string>(files.Length);
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(root, name);
            await File.WriteAllTextAsync(path, text, utf8, cancellationToken).ConfigureAwait(false);
            paths.Add(path);
        }

        return paths;
    }
}

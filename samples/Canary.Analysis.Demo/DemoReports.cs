using Canary.Analysis.Reports;

namespace Canary.Analysis.Demo;

/// <summary><c>--report DIR</c>: writes the run's (or the judgement's) report in every format and says where.</summary>
internal static class DemoReports
{
    public static async Task WriteAsync(CanaryReport report, string directory, TextWriter output, CancellationToken cancellationToken = default)
    {
        var files = await ReportWriter.WriteAsync(report, directory, cancellationToken);
        output.WriteLine();
        output.WriteLine($"Reports ({report.Checks.Count} check(s), {report.Checks.Sum(c => c.History.Count)} look(s)) written to {Path.GetDirectoryName(files[0])}:");
        foreach (var file in files)
        {
            output.WriteLine($"  {Path.GetFileName(file),-12} {new FileInfo(file).Length,9:N0} bytes");
        }
    }
}

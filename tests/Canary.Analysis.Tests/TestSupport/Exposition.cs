using System.Diagnostics;
using System.Globalization;
using System.Text;
using Prometheus;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>A registry's exposition text, read back sample by sample, and checked by the real <c>promtool check metrics</c>.</summary>
internal static class Exposition
{
    public static async Task<string> TextAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, ExpositionFormat.PrometheusText);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The samples: metric name, labels, value.</summary>
    public static List<(string Name, Dictionary<string, string> Labels, double Value)> Samples(string text)
    {
        var samples = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace < 0 ? line[..space] : line[..brace];
            var labels = new Dictionary<string, string>();
            if (brace >= 0)
            {
                var body = line[(brace + 1)..line.LastIndexOf('}')];
                foreach (var pair in body.Split("\",", StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    labels[pair[..eq]] = pair[(eq + 2)..].TrimEnd('"');
                }
            }

            samples.Add((name, labels, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    public static double Value(string text, string name, params (string Name, string Value)[] labels) =>
        Assert.Single(Samples(text), s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)).Value;

    /// <summary>Runs <c>promtool check metrics</c> on the text; returns its exit code and what it said.</summary>
    public static async Task<(int ExitCode, string Output)> PromtoolCheckAsync(string text)
    {
        var promtool = Environment.GetEnvironmentVariable("PROMTOOL_BIN") is { Length: > 0 } bin ? bin : "promtool";
        using var process = Process.Start(new ProcessStartInfo(promtool, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("promtool did not start");
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}

using System.Globalization;
using System.Text;

namespace Canary.Analysis.IntegrationTests.Observability;

/// <summary>
/// Exposition-text snapshots of a registry (one per simulated minute) turned into one OpenMetrics text with timestamps, for
/// <c>promtool tsdb create-blocks-from openmetrics</c>: each family once, each series' samples together and in time order.
/// </summary>
internal static class StatusMetricsHistory
{
    public static string ToOpenMetrics(IEnumerable<(DateTimeOffset At, string Text)> snapshots)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var families = new SortedDictionary<string, SortedDictionary<string, SortedDictionary<long, string>>>(StringComparer.Ordinal);
        foreach (var (at, text) in snapshots)
        {
            var seconds = at.ToUnixTimeSeconds();
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ');
                    types[parts[2]] = parts[3];
                    continue;
                }

                if (line.StartsWith('#'))
                {
                    continue;
                }

                var space = line.LastIndexOf(' ');
                var series = line[..space];
                var end = series.IndexOf('{', StringComparison.Ordinal);
                var name = end < 0 ? series : series[..end];
                var family = types.ContainsKey(name) ? name : name[..^"_total".Length];
                if (!families.TryGetValue(family, out var all))
                {
                    families[family] = all = new(StringComparer.Ordinal);
                }

                if (!all.TryGetValue(series, out var samples))
                {
                    all[series] = samples = [];
                }

                samples[seconds] = line[(space + 1)..];
            }
        }

        var output = new StringBuilder();
        foreach (var (family, series) in families)
        {
            var type = types.GetValueOrDefault(family) ?? types[family + "_total"];
            output.Append(CultureInfo.InvariantCulture, $"# TYPE {family} {type}\n");
            foreach (var (name, samples) in series)
            {
                foreach (var (seconds, value) in samples)
                {
                    output.Append(CultureInfo.InvariantCulture, $"{name} {value} {seconds}\n");
                }
            }
        }

        return output.Append("# EOF\n").ToString();
    }
}

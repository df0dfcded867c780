using System.Text.Json;

namespace Canary.Analysis.Tests.Statistics.Judge;

/// <summary>Loads the long Kayenta test arrays stored under <c>Statistics/Judge/Fixtures</c> (see the README there).</summary>
internal static class KayentaFixtureData
{
    private static readonly Dictionary<string, JsonElement> Cache = [];

    public static double[] Array(string file, string name)
    {
        JsonElement root;
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out root))
            {
                string path = Path.Combine(AppContext.BaseDirectory, "Statistics", "Judge", "Fixtures", file);
                using var stream = File.OpenRead(path);
                using var document = JsonDocument.Parse(stream);
                root = document.RootElement.Clone();
                Cache[file] = root;
            }
        }

        return root.GetProperty(name).Deserialize<double[]>()!;
    }
}

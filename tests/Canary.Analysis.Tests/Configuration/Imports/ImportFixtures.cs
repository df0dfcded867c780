using Canary.Analysis.Configuration;
using Canary.Analysis.Configuration.Imports;
using Canary.Analysis.Configuration.Imports.Internal;
using Canary.Analysis.Configuration.Internal;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Tests.Configuration.Imports;

/// <summary>Reads the fixtures and what an import wrote, for the import tests.</summary>
internal static class ImportFixtures
{
    public static string Read(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Configuration", "Imports", "Fixtures", file));

    public static ImportResult Import(string file) => file switch
    {
        _ when file.StartsWith("argo", StringComparison.Ordinal) => PolicyImporter.FromArgo(Read(file), file),
        _ when file.StartsWith("flagger", StringComparison.Ordinal) => PolicyImporter.FromFlagger(Read(file), file),
        _ => PolicyImporter.FromKayenta(Read(file), file),
    };

    /// <summary>The emitted document's nodes, to assert on its fields.</summary>
    public static DocumentNode Nodes(ImportResult result)
    {
        var errors = new List<PolicyDocumentError>();
        var root = YamlNodeReader.Read(result.Document, "imported", errors);
        Assert.Empty(errors);
        return root!;
    }

    /// <summary>A field of the emitted document, as written: <c>Field(result, "checks", "success-rate", "minimumSuccessRate")</c>.</summary>
    public static string? Field(ImportResult result, params string[] path) => Nodes(result).At(path).Text();

    /// <summary>The findings as <c>Severity Source Path</c>, to compare with the exact list expected.</summary>
    public static string[] Where(ImportResult result) => result.Findings.Select(f => $"{f.Severity} {f.Source} {f.Path}".TrimEnd()).ToArray();

    public static CanaryPolicy Build(ImportResult result) => result.Policy.Build(NoTrafficSource.Instance);
}

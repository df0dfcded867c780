using Canary.Analysis.Configuration.Imports;

namespace Canary.Analysis.Tests.Configuration.Imports;

public sealed class ImportDump
{
    [Theory]
    [InlineData("argo-step-analysis.yaml")]
    [InlineData("argo-background-analysis.yaml")]
    [InlineData("flagger-builtin.yaml")]
    [InlineData("flagger-templates.yaml")]
    [InlineData("kayenta-checkout.json")]
    public void Dump(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Configuration/Imports/Fixtures", file));
        var result = file.StartsWith("argo", StringComparison.Ordinal) ? PolicyImporter.FromArgo(text, file) : file.StartsWith("flagger", StringComparison.Ordinal) ? PolicyImporter.FromFlagger(text, file) : PolicyImporter.FromKayenta(text, file);
        File.WriteAllText("/tmp/import-" + file + ".out", result.Document + "\n----\n" + string.Join("\n", result.Findings));
    }
}

using Canary.Analysis.Configuration;

namespace Canary.Analysis.Tests.Configuration.Imports;

/// <summary>The round-trip guarantee: every document an import emits loads with <see cref="PolicyDocument.Parse"/> and builds.</summary>
public sealed class ImportRoundTripTests
{
    [Theory]
    [InlineData("argo-step-analysis.yaml")]
    [InlineData("argo-background-analysis.yaml")]
    [InlineData("flagger-builtin.yaml")]
    [InlineData("flagger-templates.yaml")]
    [InlineData("kayenta-checkout.json")]
    public void EveryFixture_ImportsToADocumentThatLoadsAndBuilds(string file)
    {
        var result = ImportFixtures.Import(file);

        var document = PolicyDocument.Parse(result.Document, file + ".policy.yaml", PolicyDocumentFormat.Yaml);
        var policy = ImportFixtures.Build(result);
        Assert.NotEmpty(policy.Steps);
        Assert.Equal(result.Policy.CheckNames, document.CheckNames);
        Assert.Equal(result.Policy.Name, document.Name);

        // The findings travel with the document, as comments at its top.
        Assert.All(result.Findings, f => Assert.Contains($"{f.Source}{(f.Path.Length == 0 ? "" : " " + f.Path)}: {f.Message}", result.Document, StringComparison.Ordinal));
        _ = document.Lint();
    }
}

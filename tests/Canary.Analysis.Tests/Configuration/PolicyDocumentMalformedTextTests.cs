using Canary.Analysis.Configuration;

namespace Canary.Analysis.Tests.Configuration;

/// <summary>Texts the YAML and JSON libraries refuse with other exceptions than their own (found by fuzzing the imports) are refused as invalid documents.</summary>
public sealed class PolicyDocumentMalformedTextTests
{
    [Fact]
    public void AFlowMappingBrokenAcrossLines_IsInvalidYaml_NotAnInvalidOperation()
    {
        const string text = "apiVersion: canary-analysis/v1\nsteps:\n  - pause: {duration: mplates it runs.\napi5m}\n";

        var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(text, "p.yaml", PolicyDocumentFormat.Yaml)).Errors.Single();
        Assert.StartsWith("is not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)] // an escaped lone surrogate, \udfff: the string cannot be read
    [InlineData(false)] // a lone surrogate in the text: it cannot be transcoded
    public void ALoneSurrogate_IsInvalidJson(bool escaped)
    {
        var text = "{ \"apiVersion\": \"" + (escaped ? "\\udfff" : "\udfff") + "\" }";

        var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(text, "p.json", PolicyDocumentFormat.Json)).Errors.Single();
        Assert.StartsWith("is not valid JSON", error.Message, StringComparison.Ordinal);
    }
}

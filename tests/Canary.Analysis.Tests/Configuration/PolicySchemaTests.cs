using System.Diagnostics;
using System.Text.Json;
using Canary.Analysis.Configuration;
using Canary.Analysis.Configuration.Internal;

namespace Canary.Analysis.Tests.Configuration;

/// <summary>
/// The shipped JSON Schema (<c>docs/schemas/canary-policy-v1.json</c>) checked by an independent validator (Debian's
/// <c>python3-jsonschema</c>, documents read by <c>python3-yaml</c>): it accepts the samples the library loads and refuses what
/// the library refuses; and it lists exactly the fields the library reads for every check kind.
/// </summary>
public sealed class PolicySchemaTests
{
    private static readonly string SchemaPath = Path.Combine(AppContext.BaseDirectory, "Configuration", "Schema", "canary-policy-v1.json");

    public static TheoryData<string> Samples => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Configuration", "Samples"), "*.yaml").Select(path => Path.GetFileName(path))];

    [Theory]
    [MemberData(nameof(Samples))]
    public void EverySample_LoadsAndIsValidAgainstTheSchema(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Configuration", "Samples", file);

        _ = PolicyDocument.Load(path);
        Assert.Equal([], Validate(File.ReadAllText(path)));
    }

    [Theory]
    [InlineData("minimumSuccessRate: 0.95", "minimumSucessRate: 0.95", "'minimumSucessRate' was unexpected")]
    [InlineData("alpha: 0.05", "alpha: '0.05'", "is not of type 'number'")]
    [InlineData("alpha: 0.05", "alpha: 1.5", "greater than or equal to the maximum of 1")]
    [InlineData("- setWeight: 5", "- setWeight: 120", "is not valid under any of the given schemas")]
    [InlineData("duration: 13m", "duration: 13 minutes", "is not valid under any of the given schemas")]
    [InlineData("convention: express-prom-bundle", "convention: express-prom-bundel", "is not one of")]
    [InlineData("kind: success-rate", "kind: successrate", "is not one of")]
    [InlineData("address: http://prometheus:9090", "address: http://admin:s3cret@prometheus:9090", "does not match")]
    [InlineData("apiVersion: canary-analysis/v1", "apiVersion: canary-analysis/v2", "was expected")]
    public void WhatTheLibraryRefuses_TheSchemaRefuses(string from, string to, string message)
    {
        var yaml = PolicyDocumentTests.Checkout.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(PolicyDocumentTests.Checkout, yaml);

        Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(yaml, "edited.yaml", PolicyDocumentFormat.Yaml));
        Assert.Contains(Validate(yaml), error => error.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void TheSchemaListsExactlyTheFieldsTheLibraryReads_ForEveryCheckKind()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var definitions = schema.RootElement.GetProperty("$defs");
        var kindsInSchema = definitions.GetProperty("check").GetProperty("properties").GetProperty("kind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Equal(CheckKinds.All.Keys.Order(StringComparer.Ordinal), kindsInSchema.Order(StringComparer.Ordinal));
        foreach (var (name, kind) in CheckKinds.All)
        {
            var fields = definitions.GetProperty(name).GetProperty("properties").EnumerateObject().Select(p => p.Name);
            Assert.Equal(kind.FieldNames.Order(StringComparer.Ordinal), fields.Order(StringComparer.Ordinal));
        }
    }

    /// <summary>Validates a YAML document against the schema with python3-jsonschema; returns the validator's messages.</summary>
    private static List<string> Validate(string yaml)
    {
        const string script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            document = yaml.safe_load(sys.stdin.read())
            for error in jsonschema.Draft202012Validator(schema).iter_errors(document):
                print(error.message)
            """;
        var start = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", script, SchemaPath })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write(yaml);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "python3 did not finish");
        Assert.True(process.ExitCode == 0, $"python3 with jsonschema and yaml (Debian: python3-jsonschema python3-yaml) failed: {error}");
        return [.. output.GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}

namespace Canary.Analysis.IntegrationTests.Samples;

/// <summary>The README's policy document, <c>samples/policies/checkout.yaml</c> (copied to the test output), as it is but for the Prometheus address and, optionally, its name.</summary>
internal static class CheckoutPolicyFile
{
    private const string DocumentedAddress = "address: http://prometheus:9090";

    /// <summary>The document with its Prometheus address replaced by <paramref name="address"/> and its name by <paramref name="name"/>.</summary>
    public static string Read(Uri address, string name = "checkout")
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "checkout.yaml"));
        Assert.Contains(DocumentedAddress, text, StringComparison.Ordinal);
        return text.Replace(DocumentedAddress, $"address: {address}", StringComparison.Ordinal)
            .Replace("name: checkout", $"name: {name}", StringComparison.Ordinal);
    }
}

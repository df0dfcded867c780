namespace Canary.Analysis.Tests.Metrics.Datadog;

/// <summary>
/// Loads the JSON bodies under <c>Fixtures/</c>. They are hand-written from Datadog's public API documentation
/// (documented response shapes), not recorded from a live account.
/// </summary>
internal static class DatadogFixture
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Metrics", "Datadog", "Fixtures", name));
}

namespace Canary.Analysis.Configuration.Internal;

/// <summary>Builds the paths errors name: <c>checks.success-rate.window</c>, <c>steps[1].analysis.checks[0]</c>.</summary>
internal static class DocumentPath
{
    public static string Key(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Index(string parent, int index) => FormattableString.Invariant($"{parent}[{index}]");
}

using System.Text.RegularExpressions;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Fills the placeholders of a source's query templates: Argo's <c>{{args.name}}</c>, Flagger's <c>{{ target }}</c> and
/// <c>{{ variables.name }}</c>, Kayenta's <c>${scope}</c>. A placeholder without a value becomes <c>«name»</c>, which no
/// selector matches, so what depends on it is reported rather than guessed.
/// </summary>
internal static partial class TemplateText
{
    public const char Open = '«';

    public static (string Text, IReadOnlyList<string> Unresolved) Fill(string text, Func<string, string?> value)
    {
        var unresolved = new List<string>();
        var filled = Placeholder().Replace(text, match =>
        {
            var name = match.Groups["go"].Success ? match.Groups["go"].Value : match.Groups["dollar"].Value;
            if (value(name) is { } known)
            {
                return known;
            }

            if (!unresolved.Contains(name, StringComparer.Ordinal))
            {
                unresolved.Add(name);
            }

            return $"{Open}{name}»";
        });
        return (filled, unresolved);
    }

    public static bool IsUnresolved(string value) => value.Contains(Open, StringComparison.Ordinal);

    [GeneratedRegex(@"\{\{-?\s*(?<go>[A-Za-z_][A-Za-z0-9_.\-]*)\s*-?\}\}|\$\{(?<dollar>[A-Za-z_][A-Za-z0-9_.\-]*)\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Placeholder();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Reads an Argo Rollouts <c>successCondition</c>/<c>failureCondition</c> (an expr-lang expression) of the shapes its
/// documentation writes: <c>result[0] &gt;= 0.95</c>, <c>all(result, # &lt; 1000)</c>, <c>default(result, 0) &lt; 0.05</c>,
/// guarded by <c>len(result) &gt; 0 &amp;&amp;</c>, or made to pass on missing data by <c>len(result) == 0 ||</c> and
/// <c>isNaN(result[0]) ||</c>.
/// </summary>
internal sealed partial record ArgoCondition(PassCondition? Comparison, bool OrEmpty, bool OrNaN, bool AndNotEmpty, double? Default, string? Problem)
{
    private const string Number = @"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?";

    public static ArgoCondition Read(string text)
    {
        PassCondition? comparison = null;
        bool orEmpty = false, orNaN = false, andNotEmpty = false;
        double? fallback = null;
        var expression = Unwrap(text);

        var clauses = Connective().Split(expression);
        var connectives = Connective().Matches(expression).Select(m => m.Value.Trim()).ToList();
        for (var i = 0; i < clauses.Length; i++)
        {
            var clause = Unwrap(clauses[i]);
            var joinedBy = i == 0 ? (connectives.Count > 0 ? connectives[0] : null) : connectives[i - 1];
            if (Empty().IsMatch(clause))
            {
                orEmpty |= joinedBy == "||";
            }
            else if (NotEmpty().IsMatch(clause))
            {
                andNotEmpty |= joinedBy == "&&";
            }
            else if (IsNaN().IsMatch(clause))
            {
                orNaN |= joinedBy == "||";
            }
            else if (comparison is null && Compare(clause) is var (parsed, defaultValue))
            {
                comparison = parsed;
                fallback = defaultValue;
            }
            else
            {
                return new ArgoCondition(null, orEmpty, orNaN, andNotEmpty, null, $"'{clause}' is not a comparison of the result with a number this importer reads");
            }
        }

        return comparison is null
            ? new ArgoCondition(null, orEmpty, orNaN, andNotEmpty, null, "it compares the result with no number")
            : new ArgoCondition(comparison, orEmpty, orNaN, andNotEmpty, fallback, null);
    }

    /// <summary>The text without the parentheses that wrap all of it.</summary>
    private static string Unwrap(string text)
    {
        var expression = text.Trim();
        while (expression.Length > 1 && expression[0] == '(' && expression[^1] == ')')
        {
            var depth = 0;
            var closesAtEnd = true;
            for (var i = 0; i < expression.Length - 1 && closesAtEnd; i++)
            {
                depth += expression[i] switch { '(' => 1, ')' => -1, _ => 0 };
                closesAtEnd = depth > 0;
            }

            if (!closesAtEnd)
            {
                break;
            }

            expression = expression[1..^1].Trim();
        }

        return expression;
    }

    private static (PassCondition, double?)? Compare(string clause)
    {
        if (ResultFirst().Match(clause) is { Success: true } left)
        {
            return (new PassCondition(left.Groups["op"].Value, Parse(left.Groups["n"].Value)), DefaultOf(left));
        }

        if (NumberFirst().Match(clause) is { Success: true } right)
        {
            return (new PassCondition(PassCondition.Flip(right.Groups["op"].Value), Parse(right.Groups["n"].Value)), DefaultOf(right));
        }

        return All().Match(clause) is { Success: true } all ? (new PassCondition(all.Groups["op"].Value, Parse(all.Groups["n"].Value)), null) : null;
    }

    private static double? DefaultOf(Match match) => match.Groups["d"].Success ? Parse(match.Groups["d"].Value) : null;

    private static double Parse(string number) => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);

    private const string Result = @"(?:asFloat\(\s*)?(?:result(?:\[0\])?|default\(\s*result(?:\[0\])?\s*,\s*(?<d>" + Number + @")\s*\))(?:\s*\))?";

    [GeneratedRegex(@"\s*(?:\|\||&&)\s*", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Connective();

    [GeneratedRegex(@"^len\(\s*result\s*\)\s*(==\s*0|<\s*1)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Empty();

    [GeneratedRegex(@"^len\(\s*result\s*\)\s*(>\s*0|!=\s*0|>=\s*1)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex NotEmpty();

    [GeneratedRegex(@"^isNaN\(\s*(asFloat\(\s*)?result(\[0\])?\s*\)?\s*\)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex IsNaN();

    [GeneratedRegex("^" + Result + @"\s*(?<op>>=|<=|>|<)\s*(?<n>" + Number + ")$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ResultFirst();

    [GeneratedRegex("^(?<n>" + Number + @")\s*(?<op>>=|<=|>|<)\s*" + Result + "$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex NumberFirst();

    [GeneratedRegex(@"^all\(\s*result\s*,\s*#\s*(?<op>>=|<=|>|<)\s*(?<n>" + Number + @")\s*\)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex All();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Canary.Analysis.Statistics.Keptn;

/// <summary>One parsed Keptn criterion such as <c>&lt;600</c>, <c>&lt;=+10%</c> or <c>&gt;-5</c>.</summary>
/// <remarks>
/// As in Keptn's <c>parseCriteriaString</c>: a trailing <c>%</c> makes a relative (comparison) criterion on the increase
/// (Keptn issue #1498); a leading <c>+</c> or <c>-</c> makes a relative criterion on the increase or decrease; otherwise the
/// criterion is an absolute threshold. Unlike Keptn, whose regular expression uses character classes (<c>[&lt;|&lt;=|=|&gt;|&gt;=]{1,2}</c>)
/// and is not anchored at the end, the parser is strict: <c>=&lt;5</c>, <c>|5</c> or <c>&lt;600ms</c> are rejected with an
/// error instead of being read as an operator Keptn never matches, or with trailing text silently ignored.
/// </remarks>
public sealed partial class KeptnCriterion
{
    private KeptnCriterion(string text, KeptnOperator op, double value, bool isComparison, bool isPercentage, bool isIncrease)
    {
        Text = text;
        Operator = op;
        Value = value;
        IsComparison = isComparison;
        IsPercentage = isPercentage;
        IsIncrease = isIncrease;
    }

    /// <summary>Gets the criterion as written.</summary>
    public string Text { get; }

    /// <summary>Gets the operator.</summary>
    public KeptnOperator Operator { get; }

    /// <summary>Gets the number, without its sign for relative criteria.</summary>
    public double Value { get; }

    /// <summary>Gets whether the criterion compares with previous results (signed or percentage).</summary>
    public bool IsComparison { get; }

    /// <summary>Gets whether the number is a percentage of the previous aggregate.</summary>
    public bool IsPercentage { get; }

    /// <summary>Gets whether a relative criterion allows an increase (<c>+</c> or <c>%</c> without <c>-</c>) rather than requiring a decrease.</summary>
    public bool IsIncrease { get; }

    /// <summary>Parses a criterion.</summary>
    /// <param name="text">The criterion, for example <c>&lt;=+10%</c>.</param>
    /// <returns>The parsed criterion.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not an operator (<c>&lt;</c>, <c>&lt;=</c>, <c>=</c>, <c>&gt;=</c>, <c>&gt;</c>) followed by a number, optionally signed and optionally followed by <c>%</c>; the message quotes the text.</exception>
    public static KeptnCriterion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match m = Pattern().Match(text.Trim());
        if (!m.Success)
        {
            throw new FormatException(
                $"The criterion '{text}' is not valid: expected an operator (<, <=, =, >=, >) followed by a number, optionally signed (+ or -) and optionally followed by %, for example '<600', '<=+10%' or '>-5'.");
        }

        KeptnOperator op = m.Groups["op"].Value switch
        {
            "<" => KeptnOperator.Less,
            "<=" => KeptnOperator.LessOrEqual,
            "=" => KeptnOperator.Equal,
            ">=" => KeptnOperator.GreaterOrEqual,
            _ => KeptnOperator.Greater,
        };
        string sign = m.Groups["sign"].Value;
        bool percentage = m.Groups["pct"].Value == "%";
        double value = double.Parse(m.Groups["num"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        bool comparison = percentage || sign.Length > 0;
        bool increase = sign != "-";
        return new KeptnCriterion(text, op, value, comparison, percentage, comparison && increase);
    }

    /// <summary>Returns whether <paramref name="value"/> meets the criterion.</summary>
    /// <param name="value">The measured value.</param>
    /// <param name="previous">The aggregate of the previous values; NaN when there are none.</param>
    /// <param name="passWithoutHistory">The result of a relative criterion when <paramref name="previous"/> is NaN (Keptn: <see langword="true"/>).</param>
    /// <param name="target">The threshold the value was compared with (NaN when there was nothing to compare with).</param>
    /// <returns>Whether the criterion is met.</returns>
    public bool IsMet(double value, double previous, bool passWithoutHistory, out double target)
    {
        if (!IsComparison)
        {
            target = Value;
        }
        else if (double.IsNaN(previous))
        {
            target = double.NaN;
            return passWithoutHistory;
        }
        else
        {
            target = (IsPercentage, IsIncrease) switch
            {
                (true, true) => previous * (100.0 + Value) / 100.0,
                (true, false) => previous * (100.0 - Value) / 100.0,
                (false, true) => previous + Value,
                _ => previous - Value,
            };
        }

        return Operator switch
        {
            KeptnOperator.Less => value < target,
            KeptnOperator.LessOrEqual => value <= target,
            KeptnOperator.Equal => value == target,
            KeptnOperator.GreaterOrEqual => value >= target,
            _ => value > target,
        };
    }

    /// <summary>Returns the criterion as written.</summary>
    /// <returns><see cref="Text"/>.</returns>
    public override string ToString() => Text;

    [GeneratedRegex(@"^(?<op><=|>=|<|>|=)\s*(?<sign>[+-]?)(?<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?<pct>%?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

using System.Text;
using System.Text.RegularExpressions;
using Canary.Analysis.Traffic.Internal;

namespace Canary.Analysis.Traffic;

/// <summary>One PromQL label matcher such as <c>version="canary"</c> or <c>pod=~"web-.*"</c>.</summary>
/// <remarks>
/// Regular expressions run on .NET's non-backtracking engine (<see cref="RegexOptions.NonBacktracking"/>): matching is
/// linear in the value's length, as with PromQL's RE2, so a pattern such as <c>(a+)+b</c> cannot hang a source. Constructs
/// RE2 rejects too (backreferences, lookarounds, atomic groups) are rejected here. Each match also has a timeout
/// (<see cref="MatchTimeout"/>); exceeding it throws <see cref="LabelMatchTimeoutException"/> naming the matcher.
/// </remarks>
public sealed class LabelMatcher : IEquatable<LabelMatcher>
{
    /// <summary>The longest a regular-expression matcher may take on one label value.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _matchTimeout;
    private Regex? _anchored;

    /// <summary>Creates a matcher.</summary>
    /// <param name="name">The label name (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>).</param>
    /// <param name="operator">How the value is compared.</param>
    /// <param name="value">The text or regular expression; any characters, escaped when rendered.</param>
    /// <exception cref="ArgumentException">The name is not a valid label name, or a regular expression does not compile (or uses a construct RE2 has not).</exception>
    public LabelMatcher(string name, MatchOperator @operator, string value)
        : this(name, @operator, value, MatchTimeout)
    {
    }

    /// <summary>Creates a matcher with its own match timeout (tests provoke timeouts with a tiny one).</summary>
    internal LabelMatcher(string name, MatchOperator @operator, string value, TimeSpan matchTimeout)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!PromQl.IsValidLabelName(name))
        {
            throw new ArgumentException($"Label name '{name}' is not valid: it must match [a-zA-Z_][a-zA-Z0-9_]*.", nameof(name));
        }

        if (!Enum.IsDefined(@operator))
        {
            throw new ArgumentOutOfRangeException(nameof(@operator), @operator, "Unknown match operator.");
        }

        if (@operator is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            try
            {
                // Validate the pattern alone, so "a)|(b" cannot be balanced by the anchoring group. Building the
                // non-backtracking matcher costs milliseconds, and most matchers are only rendered into PromQL: it is
                // built here only for patterns that may hold a construct it rejects, else on first use.
                _ = new Regex(value, RegexOptions.CultureInvariant);
                if (MayNeedBacktracking(value))
                {
                    _anchored = BuildAnchored(value, matchTimeout);
                }
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Label matcher {name}{Symbol(@operator)}\"{value}\" has an invalid regular expression: {ex.Message}", nameof(value), ex);
            }
            catch (NotSupportedException ex)
            {
                throw new ArgumentException($"Label matcher {name}{Symbol(@operator)}\"{value}\" uses a regular expression construct PromQL (RE2) does not support: {ex.Message}", nameof(value), ex);
            }
        }

        _matchTimeout = matchTimeout;

        Name = name;
        Operator = @operator;
        Value = value;
    }

    /// <summary>Gets the label name.</summary>
    public string Name { get; }

    /// <summary>Gets how the value is compared.</summary>
    public MatchOperator Operator { get; }

    /// <summary>Gets the text or regular expression (unescaped).</summary>
    public string Value { get; }

    /// <summary>Creates an <c>=</c> matcher.</summary>
    /// <param name="name">The label name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The matcher.</returns>
    public static LabelMatcher Equal(string name, string value) => new(name, MatchOperator.Equal, value);

    /// <summary>Creates a <c>=~</c> matcher.</summary>
    /// <param name="name">The label name.</param>
    /// <param name="pattern">The regular expression (fully anchored, as in PromQL).</param>
    /// <returns>The matcher.</returns>
    public static LabelMatcher Regex(string name, string pattern) => new(name, MatchOperator.Regex, pattern);

    /// <summary>Renders the matcher as PromQL, with the value escaped.</summary>
    /// <returns>For example <c>path="/a\"b"</c>.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    /// <inheritdoc />
    public bool Equals(LabelMatcher? other) =>
        other is not null && Operator == other.Operator &&
        string.Equals(Name, other.Name, StringComparison.Ordinal) &&
        string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LabelMatcher);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), Operator, StringComparer.Ordinal.GetHashCode(Value));

    internal static string Symbol(MatchOperator op) => op switch
    {
        MatchOperator.Equal => "=",
        MatchOperator.NotEqual => "!=",
        MatchOperator.Regex => "=~",
        _ => "!~",
    };

    /// <summary>
    /// Whether a series' label value satisfies the matcher, as PromQL decides client-side: a missing label is the empty
    /// string; regular expressions are fully anchored (.NET syntax, which agrees with RE2 on common patterns).
    /// </summary>
    /// <exception cref="LabelMatchTimeoutException">A regular expression took longer than its match timeout.</exception>
    internal bool Matches(string? labelValue)
    {
        var value = labelValue ?? string.Empty;
        return Operator switch
        {
            MatchOperator.Equal => string.Equals(value, Value, StringComparison.Ordinal),
            MatchOperator.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
            MatchOperator.Regex => RegexMatches(value),
            _ => !RegexMatches(value),
        };
    }

    internal void AppendTo(StringBuilder builder)
    {
        builder.Append(Name).Append(Symbol(Operator));
        PromQl.AppendQuoted(builder, Value);
    }

    /// <summary>
    /// Whether a pattern may hold what the non-backtracking engine rejects: lookarounds, atomic groups, conditionals and
    /// balancing groups (<c>(?=</c>, <c>(?!</c>, <c>(?&lt;</c>, <c>(?&gt;</c>, <c>(?(</c>, <c>(?'</c>), backreferences and
    /// <c>\G</c> (<c>\1</c>–<c>\9</c>, <c>\k</c>, <c>\G</c>), or repetitions that make it too large (<c>{</c>). False
    /// positives only cost an early build.
    /// </summary>
    private static bool MayNeedBacktracking(string pattern)
    {
        if (pattern.Contains('{', StringComparison.Ordinal))
        {
            return true;
        }

        for (var i = 0; i + 1 < pattern.Length; i++)
        {
            var next = pattern[i + 1];
            if ((pattern[i] == '\\' && next is (>= '1' and <= '9') or 'k' or 'G') ||
                (pattern[i] == '(' && next == '?' && i + 2 < pattern.Length && pattern[i + 2] is '=' or '!' or '<' or '>' or '(' or '\''))
            {
                return true;
            }
        }

        return false;
    }

    private static Regex BuildAnchored(string pattern, TimeSpan matchTimeout) =>
        new("^(?:" + pattern + ")$", RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking, matchTimeout);

    private Regex BuildLazily()
    {
        try
        {
            return BuildAnchored(Value, _matchTimeout);
        }
        catch (NotSupportedException)
        {
            // Not expected (MayNeedBacktracking screens for it); the backtracking engine under the same timeout still
            // fails typed, with LabelMatchTimeoutException, on a pathological value.
            return new Regex("^(?:" + Value + ")$", RegexOptions.CultureInvariant | RegexOptions.Singleline, _matchTimeout);
        }
    }

    private bool RegexMatches(string value)
    {
        // Built lazily for plain patterns (see the constructor); a race builds two equal matchers, harmlessly.
        var regex = _anchored ??= BuildLazily();
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw new LabelMatchTimeoutException(ToString(), _matchTimeout, value.Length, ex);
        }
    }
}

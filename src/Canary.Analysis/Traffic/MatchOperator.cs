namespace Canary.Analysis.Traffic;

/// <summary>How a label matcher compares a label's value, as in PromQL.</summary>
public enum MatchOperator
{
    /// <summary><c>=</c>: the value equals the text.</summary>
    Equal,

    /// <summary><c>!=</c>: the value differs from the text.</summary>
    NotEqual,

    /// <summary><c>=~</c>: the value fully matches the regular expression.</summary>
    Regex,

    /// <summary><c>!~</c>: the value does not fully match the regular expression.</summary>
    NotRegex,
}

namespace Canary.Analysis.Statistics.Keptn;

/// <summary>The comparison operator of a Keptn criterion.</summary>
public enum KeptnOperator
{
    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,
}

namespace Canary.Analysis.Policies.Lint;

/// <summary>One rule of <see cref="PolicyLinter"/>: a stable id and the findings it has about a policy.</summary>
/// <param name="id">The rule's stable id (<c>CNY001</c>…).</param>
internal abstract class PolicyLintRule(string id)
{
    /// <summary>Gets the rule's stable id (<c>CNY001</c>…).</summary>
    public string Id { get; } = id;

    /// <summary>Lints a policy.</summary>
    /// <param name="subject">The policy, where it runs and what is derived from both.</param>
    /// <returns>The findings, in step order; empty when the rule has nothing to say or its inputs are missing.</returns>
    public abstract IEnumerable<LintFinding> Check(LintSubject subject);

    /// <summary>A finding of this rule.</summary>
    protected LintFinding Finding(LintSeverity severity, string message, string fix, int? stepIndex = null) =>
        new(Id, severity, message, fix, stepIndex);
}

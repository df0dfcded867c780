namespace Canary.Analysis.Policies.Lint;

/// <summary>One rule of <see cref="PolicyLinter"/>: a stable id and the findings it has about a policy.</summary>
internal interface IPolicyLintRule
{
    /// <summary>Gets the rule's stable id (<c>CNY001</c>…).</summary>
    string Id { get; }

    /// <summary>Lints a policy.</summary>
    /// <param name="subject">The policy, where it runs and what is derived from both.</param>
    /// <returns>The findings, in step order; empty when the rule has nothing to say or its inputs are missing.</returns>
    IEnumerable<LintFinding> Check(LintSubject subject);
}

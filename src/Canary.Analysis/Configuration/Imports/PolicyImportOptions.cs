namespace Canary.Analysis.Configuration.Imports;

/// <summary>What an import cannot read from its source: the policy's name and the selectors of the canary and the baseline.</summary>
public sealed class PolicyImportOptions
{
    /// <summary>Gets or sets the policy's name (<c>metadata.name</c>).</summary>
    /// <value>The default value is null: the source's name (the Rollout's, the Canary's, the Kayenta config's).</value>
    public string? Name { get; set; }

    /// <summary>Gets or sets the canary's label selector, e.g. <c>version="canary"</c>.</summary>
    /// <value>The default value is null: derived from the source's queries where they select the canary, otherwise a placeholder with a finding.</value>
    public string? Canary { get; set; }

    /// <summary>Gets or sets the baseline's label selector, e.g. <c>version="stable"</c>.</summary>
    /// <value>The default value is null: derived from the source where it names the baseline (Flagger's primary, Kayenta's control scope).</value>
    public string? Baseline { get; set; }
}

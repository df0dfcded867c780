using Canary.Analysis.Configuration;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Judge;

/// <summary>
/// Turns a Kayenta scope (a value and a location) into the selectors a policy's checks read: the scope replaces the value of
/// the label that tells the policy's canary from its baseline (the one label both select with <c>=</c> but different values;
/// <c>version</c> when there is none), every other matcher of the policy's selector stays, and a non-empty location selects
/// <c>namespace</c>.
/// </summary>
internal sealed class ScopeSelectors
{
    /// <summary>The label a scope selects when the policy's selectors name none.</summary>
    public const string DefaultLabel = "version";

    /// <summary>The label a location selects.</summary>
    public const string LocationLabel = "namespace";

    private ScopeSelectors(string label, LabelSelector canary, LabelSelector baseline)
    {
        Label = label;
        Canary = canary;
        Baseline = baseline;
    }

    /// <summary>Gets the label whose value a scope replaces.</summary>
    public string Label { get; }

    /// <summary>Gets the policy's canary selector.</summary>
    public LabelSelector Canary { get; }

    /// <summary>Gets the policy's baseline selector (its canary selector when it has none).</summary>
    public LabelSelector Baseline { get; }

    public static ScopeSelectors Of(PolicyDocument document)
    {
        var baseline = document.Baseline ?? document.Canary;
        var label = document.Canary.Matchers
            .Where(c => c.Operator == MatchOperator.Equal)
            .FirstOrDefault(c => baseline.Matchers.Any(b => b.Operator == MatchOperator.Equal && b.Name == c.Name && b.Value != c.Value))?.Name
            ?? DefaultLabel;
        return new ScopeSelectors(label, document.Canary, baseline);
    }

    /// <summary>The experiment's selector: the canary's, with the scope (and location).</summary>
    public LabelSelector Experiment(string scope, string? location) => Replace(Canary, scope, location);

    /// <summary>The control's selector: the baseline's, with the scope (and location).</summary>
    public LabelSelector Control(string scope, string? location) => Replace(Baseline, scope, location);

    private LabelSelector Replace(LabelSelector selector, string scope, string? location)
    {
        var hasLocation = !string.IsNullOrEmpty(location);
        var kept = selector.Matchers.Where(m => m.Name != Label && !(hasLocation && m.Name == LocationLabel));
        var added = new List<LabelMatcher> { LabelMatcher.Equal(Label, scope) };
        if (hasLocation)
        {
            added.Add(LabelMatcher.Equal(LocationLabel, location!));
        }

        return LabelSelector.Of(kept.Concat(added));
    }
}

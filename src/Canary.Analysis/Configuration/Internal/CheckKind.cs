using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>
/// A kind of check a document can declare (<c>kind: success-rate</c>): its fields, the criteria they set, and the check it
/// builds. The criteria are validated when the document is read, so a document that loads builds.
/// </summary>
internal sealed class CheckKind<TCriteria> : ICheckKind
    where TCriteria : class, IValidatable
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);

    public required string Name { get; init; }

    public required Func<EndpointWeights, TCriteria> NewCriteria { get; init; }

    public required IReadOnlyList<CriteriaSetting<TCriteria>> Settings { get; init; }

    public required Func<CheckBuildContext, TCriteria, CheckReading, IAnalysisCheck> Create { get; init; }

    /// <summary>Gets whether the check compares with the baseline (the document must select one), or a predicate saying when.</summary>
    public Func<TCriteria, bool> NeedsBaseline { get; init; } = _ => true;

    /// <summary>Gets whether the check reads a trailing window (<c>window</c>, 15 minutes when left out) rather than accumulating between looks (<c>counting</c>).</summary>
    public bool Windowed { get; init; }

    public IEnumerable<string> FieldNames =>
        new[] { "kind", Windowed ? "window" : "counting" }.Concat(Settings.Select(s => s.Name));

    public CheckSpec? Read(NodeBinder binder, string name, DocumentFields fields, Func<EndpointWeights> weights, bool hasBaseline)
    {
        var applies = new List<Action<TCriteria>>();
        var valid = true;
        foreach (var setting in Settings)
        {
            if (fields.Get(setting.Name) is { } node)
            {
                if (setting.Read(binder, node) is { } apply)
                {
                    applies.Add(apply);
                }
                else
                {
                    valid = false;
                }
            }
        }

        var window = Windowed ? binder.Duration(fields.Get("window")) : null;
        var counting = TrafficCounting.CounterDifference;
        if (!Windowed && binder.OneOf(fields.Get("counting"), CountingNames) is { } countingName)
        {
            counting = countingName == "increase" ? TrafficCounting.Increase : TrafficCounting.CounterDifference;
        }

        if (!valid)
        {
            return null;
        }

        TCriteria Criteria()
        {
            var criteria = NewCriteria(weights());
            foreach (var apply in applies)
            {
                apply(criteria);
            }

            return criteria;
        }

        var path = fields.Node.Path;
        try
        {
            var criteria = Criteria();
            criteria.Validate();
            if (NeedsBaseline(criteria) && !hasBaseline)
            {
                binder.Error(path, fields.Node.Line, $"compares the canary with the baseline ({Name}): the document needs a 'baseline' selector");
                return null;
            }
        }
        catch (ArgumentException e)
        {
            binder.Error(path, fields.Node.Line, $"has settings that do not fit together: {e.Message}");
            return null;
        }

        var reading = new CheckReading(window ?? DefaultWindow, counting);
        return new CheckSpec(name, Name, path, context => Create(context, Criteria(), reading));
    }

    private static readonly string[] CountingNames = ["counter-difference", "increase"];
}

/// <summary>A check kind without its criteria type, for the table of kinds.</summary>
internal interface ICheckKind
{
    string Name { get; }

    IEnumerable<string> FieldNames { get; }

    CheckSpec? Read(NodeBinder binder, string name, DocumentFields fields, Func<EndpointWeights> weights, bool hasBaseline);
}

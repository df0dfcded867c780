using Canary.Analysis.Analysis;
using Canary.Analysis.Metrics;

namespace Canary.Analysis.Policies.Events;

/// <summary>A check's measurement could not be taken (a provider error, a timeout, an unreadable response): it is retried.</summary>
public sealed class ProviderError : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The decision made after the failed measurement.</param>
    /// <param name="check">The check whose measurement failed (its last measurement is the error).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ProviderError(RolloutDecision decision, MetricRunStatus check)
        : base(decision)
    {
        ArgumentNullException.ThrowIfNull(check);
        Check = check;
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.ProviderError;

    /// <summary>Gets the check's state; its last measurement is the error.</summary>
    public MetricRunStatus Check { get; }

    /// <summary>Gets the check's (metric's) name.</summary>
    public string Metric => Check.Name;

    /// <summary>Gets what went wrong when the query failed (<see cref="MetricQueryException.Kind"/>); null for another failure.</summary>
    public MetricQueryErrorKind? ErrorKind => Check.Last?.ErrorKind;

    /// <summary>Gets the errors in a row so far.</summary>
    public int ConsecutiveErrors => Check.ConsecutiveErrors;
}

using System.Globalization;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Everything a <see cref="SequentialLatencyEvaluator"/> has accumulated: the sequential test's state (its "errors" are slow
/// requests), each endpoint's fixed bound, and when the first window started. An immutable value with value equality,
/// serializable with System.Text.Json, saved with the rollout's state so a restarted controller resumes the same test with the
/// same bounds.
/// </summary>
/// <param name="Test">The sequential test's state: per endpoint, slow requests (errors) among all requests, and the e-values.</param>
public sealed record SequentialLatencyState(SequentialErrorRateState Test)
{
    private readonly ValueArray<SlowRequestBound> _bounds = ValueArray<SlowRequestBound>.Empty;

    /// <summary>Gets the bounds fixed so far, one per endpoint, in the order they were fixed.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<SlowRequestBound> Bounds
    {
        get => _bounds;
        init => _bounds = ValueArray<SlowRequestBound>.From(value);
    }

    /// <summary>Gets the start of the first window (the baseline's history for the bounds is read before it), or null before any.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>Gets why the last window could not count every judged endpoint (no histogram, a missing bucket, counts that are not valid), or null.</summary>
    public string? LastLookProblem { get; init; }

    /// <summary>Creates the state before any window.</summary>
    /// <param name="criteria">The criteria.</param>
    /// <returns>The initial state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="criteria"/> is null.</exception>
    public static SequentialLatencyState Initial(SequentialLatencyCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return new(SequentialErrorRateState.Initial(criteria.Test));
    }

    /// <summary>Gets the bound of an endpoint, or null when none is fixed yet.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>The bound or null.</returns>
    public SlowRequestBound? BoundOf(string endpoint)
    {
        foreach (var bound in _bounds)
        {
            if (string.Equals(bound.Endpoint, endpoint, StringComparison.Ordinal))
            {
                return bound;
            }
        }

        return null;
    }

    /// <summary>
    /// Checks that the state could have been reached: the test's state is valid (<see cref="SequentialErrorRateState.Validate"/>),
    /// bounds are distinct, finite and not fixed before the first window, and a judged endpoint without a bound has counted nothing.
    /// </summary>
    /// <exception cref="ArgumentException">An invariant does not hold; the message names it.</exception>
    public void Validate()
    {
        Require(Test is not null, "the test's state is missing");
        Test!.Validate();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bound in Bounds)
        {
            Require(bound is { Endpoint: not null } && names.Add(bound.Endpoint), "a bound is missing, unnamed or listed twice");
            Require(double.IsFinite(bound.UpperBound), Invariant($"the bound of {bound.Endpoint} is {bound.UpperBound}, not finite"));
            Require(bound.BaselineRequests >= 0 && bound.BaselineSlowShare is >= 0 and <= 1, Invariant($"the baseline figures of {bound.Endpoint}'s bound are out of range"));
            Require(Started is { } started && bound.ChosenAt >= started && (Test.WindowStart is null || bound.ChosenAt <= Test.WindowStart),
                Invariant($"the bound of {bound.Endpoint} was fixed outside the test's windows"));
        }

        foreach (var endpoint in Test.Endpoints)
        {
            Require(names.Contains(endpoint.Endpoint) || (endpoint.CanaryRequests == 0 && endpoint.BaselineRequests == 0),
                Invariant($"{endpoint.Endpoint} has counts but no bound"));
        }

        Require(Test.WindowStart is null || Started is not null, "windows were judged but the start is missing");
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new ArgumentException($"SequentialLatencyState is not valid: {what}.");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

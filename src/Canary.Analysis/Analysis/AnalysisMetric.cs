using System.Globalization;

namespace Canary.Analysis.Analysis;

/// <summary>
/// One metric of an analysis run: a check measured every <see cref="Interval"/>, <see cref="Count"/> times,
/// judged against Argo Rollouts' limits. Differences from Argo are deliberate and safe: see <see cref="Validate"/>
/// and <see cref="AnalysisRun"/>.
/// </summary>
public sealed class AnalysisMetric
{
    /// <summary>Gets or sets the metric's name, unique within a run.</summary>
    public required string Name { get; set; }

    /// <summary>Gets or sets the check to measure.</summary>
    public required IAnalysisCheck Check { get; set; }

    /// <summary>Gets or sets the time between the end of one measurement and the start of the next; null for one measurement.</summary>
    /// <value>The default value is null.</value>
    public TimeSpan? Interval { get; set; }

    /// <summary>Gets or sets how long after the run starts the first measurement is taken.</summary>
    /// <value>The default value is zero.</value>
    public TimeSpan InitialDelay { get; set; }

    /// <summary>
    /// Gets or sets how many conclusive measurements (Successful, Failed, Inconclusive; errors do not count) complete
    /// the metric. Null means 1 without an interval, and "until the run is terminated" with one (background analysis only).
    /// </summary>
    /// <value>The default value is null.</value>
    public int? Count { get; set; }

    /// <summary>Gets or sets how many failed measurements are tolerated; the metric fails on one more. −1 disables.</summary>
    /// <value>The default value is 0: the first failure fails the metric.</value>
    public int FailureLimit { get; set; }

    /// <summary>Gets or sets how many inconclusive measurements are tolerated; the metric is Inconclusive on one more.</summary>
    /// <value>The default value is 0.</value>
    public int InconclusiveLimit { get; set; }

    /// <summary>Gets or sets how many errors in a row are tolerated; the metric is Error on one more.</summary>
    /// <value>The default value is 4 (Argo's default: Error on the 5th error in a row).</value>
    public int ConsecutiveErrorLimit { get; set; } = 4;

    /// <summary>Gets or sets how many successes in a row complete the metric early; 0 disables.</summary>
    /// <value>The default value is 0.</value>
    public int ConsecutiveSuccessLimit { get; set; }

    /// <summary>Gets or sets a value indicating whether the metric is only reported: it never decides the run.</summary>
    /// <value>The default value is false.</value>
    public bool DryRun { get; set; }

    /// <summary>Gets or sets how many measurements are kept in <see cref="MetricRunStatus.History"/>; older ones are summarised.</summary>
    /// <value>The default value is 10 (Argo's default).</value>
    public int HistoryLimit { get; set; } = 10;

    /// <summary>Gets or sets how long after an Error measurement the next attempt is made, whatever the interval.</summary>
    /// <value>The default value is 10 seconds (Argo's default).</value>
    public TimeSpan ErrorRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the count in force: <see cref="Count"/>, or 1 when neither count nor interval is set, or null (indefinite).</summary>
    public int? EffectiveCount => Count is > 0 ? Count : Interval is null ? 1 : null;

    /// <summary>Checks the metric as Argo Rollouts validates it, plus one safety rule.</summary>
    /// <param name="allowIndefinite">
    /// Whether a metric with an interval and no count is allowed. Argo allows it everywhere, but in a step's analysis such a
    /// metric can never complete and blocks the step forever; only background analysis (ended by promotion) should use it.
    /// </param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names the metric, the setting and its value.</exception>
    public void Validate(bool allowIndefinite = false)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("AnalysisMetric.Name must not be empty.");
        }

        if (Check is null)
        {
            throw Error($"Check must not be null.");
        }

        if (Interval is { } interval && interval <= TimeSpan.Zero)
        {
            throw Error($"Interval must be positive, not {interval}.");
        }

        if (InitialDelay < TimeSpan.Zero)
        {
            throw Error($"InitialDelay must not be negative, not {InitialDelay}.");
        }

        if (Count is < 0)
        {
            throw Error($"Count must not be negative, not {Count}.");
        }

        if (FailureLimit < -1 || InconclusiveLimit < 0 || ConsecutiveErrorLimit < 0 || ConsecutiveSuccessLimit < 0)
        {
            throw Error($"limits out of range: FailureLimit {FailureLimit} (≥ −1), InconclusiveLimit {InconclusiveLimit}, ConsecutiveErrorLimit {ConsecutiveErrorLimit}, ConsecutiveSuccessLimit {ConsecutiveSuccessLimit} (≥ 0).");
        }

        if (FailureLimit == -1 && ConsecutiveSuccessLimit == 0)
        {
            throw Error($"FailureLimit and ConsecutiveSuccessLimit cannot both be disabled.");
        }

        if (Count is > 1 && Interval is null)
        {
            throw Error($"Interval must be set when Count ({Count}) is greater than 1.");
        }

        if (Count is > 0 and var count)
        {
            if (FailureLimit >= 0 && count < FailureLimit + ConsecutiveSuccessLimit)
            {
                throw Error($"Count ({count}) must be at least FailureLimit + ConsecutiveSuccessLimit ({FailureLimit + ConsecutiveSuccessLimit}).");
            }

            if (FailureLimit == -1 && count < ConsecutiveSuccessLimit)
            {
                throw Error($"Count ({count}) must be at least ConsecutiveSuccessLimit ({ConsecutiveSuccessLimit}).");
            }

            if (count < InconclusiveLimit)
            {
                throw Error($"Count ({count}) must be at least InconclusiveLimit ({InconclusiveLimit}).");
            }
        }

        if (!allowIndefinite && EffectiveCount is null && ConsecutiveSuccessLimit == 0)
        {
            throw Error($"has an Interval ({Interval}) and no Count, so it would never complete and would block its step; set Count (or ConsecutiveSuccessLimit), or run it as background analysis.");
        }

        if (HistoryLimit < 1)
        {
            throw Error($"HistoryLimit must be at least 1, not {HistoryLimit}.");
        }

        if (ErrorRetryInterval <= TimeSpan.Zero)
        {
            throw Error($"ErrorRetryInterval must be positive, not {ErrorRetryInterval}.");
        }
    }

    private ArgumentException Error(FormattableString message) =>
        new($"Analysis metric '{Name}': {message.ToString(CultureInfo.InvariantCulture)}");
}

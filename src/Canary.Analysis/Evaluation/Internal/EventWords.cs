namespace Canary.Analysis.Evaluation.Internal;

/// <summary>
/// The words a <see cref="SequentialErrorRateEvaluator"/> writes its reasons with, for the events it counts: errors, or (for
/// <see cref="SequentialLatencyEvaluator"/>) requests slower than their bound. One home for them, so no reason is rewritten.
/// </summary>
/// <param name="CheckName">The name of the checks produced.</param>
/// <param name="Events">The events, plural ("errors").</param>
/// <param name="Rate">Their rate ("error rate").</param>
/// <param name="GoodRate">The rate of the other requests ("success rate").</param>
internal sealed record EventWords(string CheckName, string Events, string Rate, string GoodRate)
{
    /// <summary>Gets the words for errors.</summary>
    public static EventWords Errors { get; } = new(SequentialErrorRateEvaluator.CheckName, "errors", "error rate", "success rate");

    /// <summary>Gets the words for slow requests.</summary>
    public static EventWords SlowRequests { get; } = new(SequentialLatencyEvaluator.CheckName, "slow requests", "slow-request rate", "share of requests within their bound");
}

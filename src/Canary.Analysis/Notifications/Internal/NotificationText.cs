using System.Globalization;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Policies;

namespace Canary.Analysis.Notifications.Internal;

/// <summary>
/// The words every sink shows, written from a notification's data (the one place they are written): a title, the deciding
/// endpoint's value against its limit with n, the check's evidence, and the command. Plain text: sinks escape it for their markup.
/// </summary>
internal static class NotificationText
{
    /// <summary>E.g. <c>checkout rolled back at step 2 (5 %)</c>.</summary>
    public static string Title(RolloutNotification n)
    {
        var name = n.Namespace is null ? n.Rollout : $"{n.Namespace}/{n.Rollout}";
        var where = Invariant($"at step {n.StepIndex + 1} ({n.StepWeight} %)");
        return n.Kind switch
        {
            RolloutNotificationKind.RolledBack => $"{name} rolled back {where}: analysis failed",
            RolloutNotificationKind.ProviderError => $"{name} rolled back {where}: measurements could not be taken",
            RolloutNotificationKind.PausedInconclusive => $"{name} paused {where}: analysis inconclusive",
            RolloutNotificationKind.Promoted => $"{name} promoted",
            RolloutNotificationKind.WaitingForHuman => $"{name} waits for a human {where}",
            RolloutNotificationKind.ManualOverride => $"{name}: {Command(n.Command?.Action)} by {n.Command?.By ?? "someone"} {where}",
            _ => $"{name}: {n.Kind}",
        };
    }

    /// <summary>How urgent: <c>critical</c> for a rollback, <c>warning</c> for a pause, <c>info</c> otherwise.</summary>
    public static string Severity(RolloutNotification n) => n.Action switch
    {
        RolloutAction.Rollback => "critical",
        RolloutAction.Pause => "warning",
        _ => "info",
    };

    /// <summary>
    /// The deciding endpoint: its value against its limit (on the same scale), else against the baseline's value, with n, then
    /// its own evidence against its boundary when it has some; e.g. <c>/api/pay: 91.2 % against the limit 95 % (n=412)</c>,
    /// <c>/api/pay: 75 % against the baseline's 99.47 % (n=20); e-value 2378 against its boundary 416.7</c>; null without one.
    /// </summary>
    public static string? Finding(RolloutNotification n)
    {
        if (n.Endpoint is not { } e)
        {
            return null;
        }

        var name = Format.Endpoint(e.Name);
        var check = n.Check?.Check;
        var n_ = $"n={Format.Count(e.Requests)}";
        if (e.Status == EndpointStatus.Insufficient && n.Check is not { IsSequential: true })
        {
            return $"{name}: too little data ({n_})";
        }

        var against = e.Limit is { } l ? $" against the limit {EndpointValue(check, l)}"
            : double.IsFinite(e.BaselineValue) ? $" against the baseline's {EndpointValue(check, e.BaselineValue)}"
            : string.Empty;
        var evidence = EndpointEvidence(e) is { } text ? $"; {text}" : string.Empty;
        return $"{name}: {EndpointValue(check, e.Value)}{against} ({n_}){evidence}";
    }

    /// <summary>An endpoint's own evidence against its boundary, e.g. <c>e-value 2378 against its boundary 416.7</c>; null without evidence.</summary>
    public static string? EndpointEvidence(NotifiedEndpoint e) =>
        PayloadFactory.EvidenceKindName(e.EvidenceKind) is { } kind && !double.IsNaN(e.EvidenceValue)
            ? $"{kind} {Significant(e.EvidenceValue)} against its boundary {Significant(e.EvidenceBoundary)}"
            : null;

    /// <summary>The check's evidence, e.g. <c>combined evidence 1.31 × the boundary</c>; null without a check result.</summary>
    public static string? Evidence(RolloutNotification n)
    {
        if (n.Check is not { Check: { } name } check)
        {
            return null;
        }

        var parts = new List<string>(2);
        if (check.IsSequential)
        {
            parts.Add(Invariant($"evidence {Number(check.Value)} × the boundary (crosses at {Number(check.Threshold)})"));
        }
        else
        {
            parts.Add($"{name} {CheckValue(name, check.Value)} against the threshold {CheckValue(name, check.Threshold)}");
        }

        if (double.IsFinite(check.SuccessRateDropBound))
        {
            parts.Add($"success-rate drop ≤ {Points(check.SuccessRateDropBound)} (always valid)");
        }

        return string.Join("; ", parts);
    }

    /// <summary>The command, e.g. <c>Abort by alice: bad deploy</c>; null without one.</summary>
    public static string? CommandLine(RolloutNotification n) =>
        n.Command is { } c ? $"{Command(c.Action)} by {c.By}: {c.Reason}" : null;

    /// <summary>The measurement counts, e.g. <c>2 failed, 3 successful, 0 inconclusive, 1 error</c>; null without a check.</summary>
    public static string? Counts(RolloutNotification n) => n.Check is { } c
        ? Invariant($"{c.Failed} failed, {c.Successful} successful, {c.Inconclusive} inconclusive, {c.Errors} errors")
        : null;

    /// <summary>
    /// The facts a chat message lists under its reason, as (title, text): the deciding endpoint, the evidence, the metric's
    /// counts, the step, the weight now and the command (those that apply, in this order).
    /// </summary>
    public static List<(string Title, string Text)> Facts(RolloutNotification n)
    {
        var facts = new List<(string Title, string Text)>();
        if (Finding(n) is { } finding)
        {
            facts.Add(("Deciding endpoint", finding));
        }

        if (Evidence(n) is { } evidence)
        {
            facts.Add(("Evidence", evidence));
        }

        if (n.Check is { } check)
        {
            facts.Add(("Metric", $"{check.Metric}: {Counts(n)}"));
        }

        facts.Add(("Step", Invariant($"{n.StepIndex + 1}{(n.StepName is { } s ? $" ({s})" : string.Empty)} at {n.StepWeight} %")));
        facts.Add(("Canary weight now", Invariant($"{n.Weight} % (effective {Number(n.EffectiveWeight)} %)")));
        if (CommandLine(n) is { } command)
        {
            facts.Add(("Command", command));
        }

        return facts;
    }

    /// <summary>An endpoint's value in the unit of its check: percent for success rates, seconds for latencies, a number otherwise.</summary>
    public static string EndpointValue(string? check, double value) => check switch
    {
        SuccessRateEvaluator.CheckName or SequentialErrorRateEvaluator.CheckName or SequentialLatencyEvaluator.CheckName or ErrorRateComparisonEvaluator.CheckName => Format.Percent(value),
        LatencyEvaluator.CheckName => Format.Seconds(value),
        _ => Number(value),
    };

    /// <summary>A check's combined value: percent for a success rate and for a latency check's share of weight within limits, a number otherwise.</summary>
    public static string CheckValue(string? check, double value) => check switch
    {
        SuccessRateEvaluator.CheckName or LatencyEvaluator.CheckName => Format.Percent(value),
        _ => Number(value),
    };

    public static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// An e-value or a boundary (they span many orders of magnitude): 4 significant digits below 1 000, whole numbers up to a
    /// million, then 3 digits with an exponent (<c>416.7</c>, <c>91708</c>, <c>1.23e+7</c>); "∞" when unbounded.
    /// </summary>
    public static string Significant(double value) => value switch
    {
        double.NaN => "n/a",
        double.PositiveInfinity => "∞",
        _ when Math.Abs(value) < 1000 => value.ToString("G4", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) < 1e6 => value.ToString("0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##e+0", CultureInfo.InvariantCulture),
    };

    private static string Points(double drop) => double.IsNaN(drop) ? "n/a" : (drop * 100).ToString("0.###", CultureInfo.InvariantCulture) + " points";

    private static string Command(ManualAction? action) => action switch
    {
        ManualAction.Promote => "promoted",
        ManualAction.Abort => "aborted",
        ManualAction.SkipAnalysis => "analysis skipped",
        ManualAction.Retry => "retried",
        ManualAction.Resume => "resumed",
        _ => "command",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>
/// One field of a check kind: its name in documents and how its value is read; reading returns how to apply the value
/// to fresh criteria (null when the value was wrong; the binder has the error).
/// </summary>
internal sealed record CriteriaSetting<TCriteria>(string Name, Func<NodeBinder, DocumentNode, Action<TCriteria>?> Read)
{
    public static CriteriaSetting<TCriteria> Number(string name, double minimum, double maximum, Action<TCriteria, double> set, bool exclusiveMinimum = false) =>
        new(name, (binder, node) => binder.Number(node, minimum, maximum, exclusiveMinimum) is { } value ? c => set(c, value) : null);

    public static CriteriaSetting<TCriteria> Integer(string name, int minimum, Action<TCriteria, int> set) =>
        new(name, (binder, node) => binder.Integer(node, minimum, int.MaxValue) is { } value ? c => set(c, value) : null);

    public static CriteriaSetting<TCriteria> Boolean(string name, Action<TCriteria, bool> set) =>
        new(name, (binder, node) => binder.Boolean(node) is { } value ? c => set(c, value) : null);

    public static CriteriaSetting<TCriteria> Duration(string name, Action<TCriteria, TimeSpan> set) =>
        new(name, (binder, node) => binder.Duration(node) is { } value ? c => set(c, value) : null);
}

/// <summary>The settings of a check that are not criteria: its window and how it counts.</summary>
internal sealed record CheckReading(TimeSpan Window, TrafficCounting Counting);

using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>A check that answers from a script: 'P' pass, 'F' fail, 'I' inconclusive, 'E' throws; the last step repeats.</summary>
internal sealed class ScriptedCheck(string script) : IAnalysisCheck
{
    public List<DateTimeOffset> Calls { get; } = [];

    public Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var step = script[Math.Min(Calls.Count, script.Length - 1)];
        Calls.Add(now);
        return step switch
        {
            'P' => Task.FromResult(Result(Verdict.Pass, 0.99)),
            'F' => Task.FromResult(Result(Verdict.Fail, 0.5)),
            'I' => Task.FromResult(Result(Verdict.Inconclusive, double.NaN)),
            _ => throw new InvalidOperationException("provider down"),
        };
    }

    private static CheckResult Result(Verdict verdict, double value) => new("scripted", verdict, value, 0.95, $"scripted {verdict}", []);
}

using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Tests.TestSupport;

/// <summary>A check that answers each look from a function of the look's number (0-based); an exception is thrown as is.</summary>
internal sealed class ResultCheck(Func<int, CheckResult> look) : IAnalysisCheck
{
    public int Looks { get; private set; }

    public Task<CheckResult> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(look(Looks++));
}

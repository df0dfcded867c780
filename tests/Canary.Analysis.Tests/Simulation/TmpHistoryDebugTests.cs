using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;
using Xunit.Abstractions;

namespace Canary.Analysis.Tests.Simulation;

public sealed class TmpHistoryDebugTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.01, 0.005, null)]
    [InlineData(0.005, 0.005, "/rare")]
    public void Debug(double today, double before, string? fault)
    {
        var n = int.Parse(Environment.GetEnvironmentVariable("DBG_RUNS") ?? "200", System.Globalization.CultureInfo.InvariantCulture);
        var criteria = DesignScenario.SequentialCriteria();
        criteria.BaselineHistory = new BaselineHistoryOptions();
        var failed = 0;
        for (var s = 0; s < n; s++)
        {
            var o = DesignScenario.Sequential(1000 + s, TimeSpan.FromMinutes(13), TrafficProfile.Flat, jitter: true, criteria, model =>
            {
                model.BaselineHistory = TimeSpan.FromHours(24);
                model.BaselineHistoryErrorFactor = before / today;
                foreach (var e in model.Endpoints) { e.ErrorRate = today; }
            }, fault is null ? [] : [SimulatedFault.Errors(0.25, fault)]);
            if (o.Kind == SimulationOutcomeKind.Failed) { failed++; output.WriteLine(o.Reason); }
            else if (s < 3) { output.WriteLine(o.Reason); }
        }

        output.WriteLine($"failed {failed}/{n}");
    }
}

using System.Runtime.CompilerServices;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Simulation;
using Canary.Analysis.Traffic;

namespace PolicyTests;

/// <summary>
/// Replaying recorded traffic: a judgement pinned to exact counts, for a regression you saw once (record it from
/// Prometheus with <see cref="TrafficRecorder"/> around your real source) or, as here, from the simulator.
/// The recording is committed under Recordings/; <see cref="Recording_IsReproducible"/> regenerates it when the
/// environment variable POLICYTESTS_RECORD=1 is set.
/// </summary>
public sealed class RecordedTrafficTests
{
    private const string FileName = "pay-regression.json";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(13);
    private static readonly DateTimeOffset JudgedAt = CheckoutPolicy.Start + Window;

    /// <summary>The check under test: /pay must keep 99 % success, and the weighted success rate 98 %.</summary>
    private static SuccessRateCheck Check(ITrafficSource source)
    {
        var criteria = new SuccessRateCriteria { Weights = CheckoutPolicy.Weights, MinimumSuccessRate = 0.98, MinimumRequestsPerEndpoint = 30 };
        criteria.EndpointMinimumSuccessRates["/pay"] = 0.99;
        return new SuccessRateCheck(source, SimulatedTrafficSource.CanarySelector, Window, criteria);
    }

    /// <summary>Records what the check reads from a canary failing 20 % of /pay, 13 minutes into the fail-fast step.</summary>
    private static async Task<string> RecordAsync()
    {
        var recorder = new TrafficRecorder(new SimulatedTrafficSource(CheckoutPolicy.Traffic(SimulatedFault.Errors(0.2, "/pay")), seed: 7));
        _ = await Check(recorder).MeasureAsync(JudgedAt);
        using var stream = new MemoryStream();
        await recorder.SaveAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task ReplayedRegression_Fails_AndNamesPay()
    {
        var replay = RecordedTrafficSource.Load(Path.Combine(AppContext.BaseDirectory, "Recordings", FileName));

        var result = await Check(replay).MeasureAsync(JudgedAt);

        Assert.Equal(Verdict.Fail, result.Verdict);
        var pay = Assert.Single(result.Endpoints, e => e.Endpoint == "/pay");
        Assert.Equal(EndpointStatus.LimitBreached, pay.Status);
        Assert.All(result.Endpoints.Where(e => e.Endpoint != "/pay"), e => Assert.NotEqual(EndpointStatus.LimitBreached, e.Status));
        Assert.Contains("/pay", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recording_IsReproducible()
    {
        var recorded = await RecordAsync();
        if (Environment.GetEnvironmentVariable("POLICYTESTS_RECORD") == "1")
        {
            // Regenerate the committed file (run from a checkout: CI builds map source paths to /_/).
            await File.WriteAllTextAsync(Path.Combine(SourceDirectory(), "Recordings", FileName), recorded);
        }

        // The simulator is seeded and deterministic, so the committed file (copied to the output) is exactly what
        // recording again produces. (Line endings aside: a Windows checkout may turn the committed file's LF into CRLF.)
        var committed = Path.Combine(AppContext.BaseDirectory, "Recordings", FileName);
        Assert.Equal(Lf(await File.ReadAllTextAsync(committed)), Lf(recorded));
    }

    private static string Lf(string text) => text.ReplaceLineEndings("\n");

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

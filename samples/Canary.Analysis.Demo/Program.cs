// Canary.Analysis demo — the README's main job.
//
//   dotnet run --project samples/Canary.Analysis.Demo                  live: a canary failing on /api/pay is rolled back
//   dotnet run --project samples/Canary.Analysis.Demo -- --healthy     live: a healthy canary is promoted
//   dotnet run --project samples/Canary.Analysis.Demo -- --recorded [recording.json]
//                                                                      one judgement of recorded Prometheus responses
//
// The live modes start a baseline and a canary service on 127.0.0.1 and run the policy in accelerated time: no
// external server, well under a minute. See LiveDemo.cs for the loop, Services.cs and LoadGenerator.cs for the rest.
using Canary.Analysis.Demo;
using Canary.Analysis.Policies;

var recording = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
if (args.Contains("--recorded") || recording is not null)
{
    await RecordedDemo.RunAsync(recording, Console.Out);
    return 0;
}

var unknown = args.Where(a => a is not "--healthy").ToList();
if (unknown.Count > 0)
{
    await Console.Error.WriteLineAsync($"Unknown option(s): {string.Join(' ', unknown)}. Use --healthy, or --recorded [recording.json].");
    return 2;
}

var result = await LiveDemo.RunAsync(new LiveDemoOptions { Healthy = args.Contains("--healthy") }, Console.Out);

// A finished rollout (rolled back or promoted) is a successful demo; anything else means it could not decide.
return result.Decision.Action is RolloutAction.Rollback or RolloutAction.Promote ? 0 : 1;

// Canary.Analysis demo — the README's main job.
//
//   dotnet run --project samples/Canary.Analysis.Demo                  live: a canary failing on /api/pay is rolled back
//   dotnet run --project samples/Canary.Analysis.Demo -- --healthy     live: a healthy canary is promoted
//   … -- --replicas 4                  no mesh: pods split the traffic, so the canary's 5 % step really gets 20 %
//   … -- --skip-analysis "urgent fix: CVE-2026-1234" [--by alice]
//                                      a human skips the analysis for an urgent fix: promoted, the skip on record
//   … -- --promote-now "REASON" [--by NAME]
//                                      a human promotes at once, on record
//   … -- --metrics-out FILE            also write the rollout's status metrics (Prometheus text) to FILE at the end
//   … -- --recorded [recording.json]   one judgement of recorded Prometheus responses
//   … -- --report DIR                  also write the reports (report.json, summary.md, junit.xml, report.html) into DIR
//
// The live modes start a baseline and a canary service on 127.0.0.1, lint the policy (PolicyLinter), and run it in
// accelerated time, judged by a sequential canary-vs-baseline error-rate test and a weighted success-rate floor: no
// external server, well under a minute. --healthy, --replicas and a manual command combine. See LiveDemo.cs for the
// loop, Services.cs and LoadGenerator.cs for the rest.
using Canary.Analysis.Demo;
using Canary.Analysis.Policies;

DemoCommandLine command;
try
{
    command = DemoCommandLine.Parse(args, Environment.UserName);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync($"{ex.Message} {DemoCommandLine.Usage}");
    return 2;
}

if (command.Recorded)
{
    await RecordedDemo.RunAsync(command.Recording, Console.Out, command.ReportDirectory);
    return 0;
}

var result = await LiveDemo.RunAsync(command.Live, Console.Out);
if (command.ReportDirectory is { } reports)
{
    await DemoReports.WriteAsync(result.Report, reports, Console.Out);
}

// A finished rollout (rolled back or promoted) is a successful demo; anything else means it could not decide.
return result.Decision.Action is RolloutAction.Rollback or RolloutAction.Promote ? 0 : 1;

// The CI gate for dotnet-script users (twin of gate.cs): exits 0 pass, 1 fail, 2 usage error, 3 inconclusive, 4 provider error.
//   dotnet script samples/gate/gate.csx -- --prometheus http://prometheus:9090 \
//     --canary 'app="web",version="canary"' --baseline 'app="web",version="stable"' --window 15m --report gate-report
// The logic is Canary.Analysis.Gate.CanaryGate (run with --help for every argument).
#r "nuget: Canary.Analysis, 0.1.0"

using Canary.Analysis.Gate;

return await CanaryGate.RunAsync(Args.ToArray(), Console.Out, Console.Error);

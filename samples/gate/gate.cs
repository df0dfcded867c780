#!/usr/bin/env -S dotnet run --file
// The CI gate: judges a canary from Prometheus and exits 0 pass, 1 fail, 2 usage error, 3 inconclusive, 4 provider error.
//   dotnet run --file samples/gate/gate.cs -- --prometheus http://prometheus:9090 \
//     --canary 'app="web",version="canary"' --baseline 'app="web",version="stable"' \
//     --convention prometheus-net --window 15m --weights weights.json --min-success-rate 0.95 --report gate-report
// Outside this repository, replace the #:project line with the package:
//   #:package Canary.Analysis@0.1.0
// The logic is Canary.Analysis.Gate.CanaryGate (`-- --help` lists every argument); gate.csx is the dotnet-script twin.
// Executable too: ./gate.cs -- --help (after `--`, or dotnet run takes the options itself).
#:project ../../src/Canary.Analysis/Canary.Analysis.csproj

using Canary.Analysis.Gate;

return await CanaryGate.RunAsync(args, Console.Out, Console.Error);

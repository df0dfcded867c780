using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project benchmarks/Canary.Analysis.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

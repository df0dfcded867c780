using System.Diagnostics;

namespace Canary.Analysis.IntegrationTests.Samples.Judge;

/// <summary>The judge process refuses a policy directory with an invalid document, naming every file and field.</summary>
public sealed class JudgeStartupTests
{
    [Fact]
    public async Task JudgeProcess_InvalidPolicyDirectory_PrintsEveryErrorWithFileAndField_ExitsNonZero_ListensOnNothing()
    {
        var directory = Directory.CreateTempSubdirectory("canary-judge-refused-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "checkout.yaml"), """
                apiVersion: canary-analysis/v1
                kind: CanaryPolicy
                metadata:
                  name: checkout
                source:
                  prometheus:
                    address: http://127.0.0.1:1
                canary: 'version="canary"'
                checks:
                  success-rate:
                    kind: success-rate
                    minimumSucessRate: 0.95
                steps:
                  - analysis: { name: fail-fast, interval: 1m, duration: 13m, checks: [success-rate] }
                """);
            await File.WriteAllTextAsync(Path.Combine(directory, "search.json"), """
                {"apiVersion": "canary-analysis/v1", "kind": "CanaryPolicy", "metadata": {"name": "search"},
                 "source": {"prometheus": {"address": "http://127.0.0.1:1"}}, "canary": "version=\"canary\"",
                 "checks": {"floor": {"kind": "success-rate", "minimumSuccessRate": "0.95"}},
                 "steps": [{"analysis": {"name": "soak", "interval": "1m", "duration": "10m", "checks": ["floor"]}}]}
                """);

            var (exitCode, output, errors) = await RunJudgeAsync("--urls", "http://127.0.0.1:0", "--policies", directory);

            Assert.Equal(2, exitCode);
            Assert.Contains("checkout.yaml:12: checks.success-rate.minimumSucessRate = '0.95'", errors, StringComparison.Ordinal);
            Assert.Contains("search.json: checks.floor.minimumSuccessRate", errors, StringComparison.Ordinal);
            Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task JudgeProcess_WithoutPolicies_ExitsNonZero()
    {
        var (exitCode, _, errors) = await RunJudgeAsync("--urls", "http://127.0.0.1:0");

        Assert.Equal(2, exitCode);
        Assert.Contains("--policies DIR is required", errors, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunJudgeAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Canary.Analysis.Judge.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }
}

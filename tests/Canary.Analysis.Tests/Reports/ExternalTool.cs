using System.Diagnostics;

namespace Canary.Analysis.Tests.Reports;

/// <summary>Runs an installed tool (python3, xmllint, chromium) and returns what it said; a missing tool fails the test.</summary>
internal static class ExternalTool
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        Assert.True(File.Exists(file), $"{file} is not installed (Debian: python3-jsonschema, libxml2-utils, chromium); the report tests need it.");
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in time.");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The repository's root (where docs/ is), found from the test's output directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Canary.Analysis.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A new empty directory under the temp folder, deleted with everything in it when disposed.</summary>
    public static TempDirectory TempDirectory() => new();
}

/// <summary>A new empty directory under the temp folder, deleted with everything in it when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "canary-reports-" + Guid.NewGuid().ToString("N"));

    public static implicit operator string(TempDirectory directory) => directory.Path;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A browser still closing its profile: the temp folder is cleaned up by the system.
        }
    }
}

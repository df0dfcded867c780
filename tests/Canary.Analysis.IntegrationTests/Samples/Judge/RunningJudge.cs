using Canary.Analysis.Judge;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.IntegrationTests.Samples.Judge;

/// <summary>A time the test sets (the web provider's looks happen "now").</summary>
public sealed class SetTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The judge on loopback Kestrel (a free port), with a policy directory the test writes.</summary>
public sealed class RunningJudge : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningJudge(WebApplication app, string directory, string address)
    {
        _app = app;
        Directory = directory;
        Address = address;
        Client = new HttpClient();
    }

    public string Directory { get; }

    /// <summary>The judge's base address, without a trailing slash (as Argo's templates write it).</summary>
    public string Address { get; }

    public HttpClient Client { get; }

    public static async Task<RunningJudge> StartAsync(IReadOnlyDictionary<string, string> files, TimeProvider time)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("canary-judge-").FullName;
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, name), text);
        }

        using var errors = new StringWriter();
        var catalog = JudgeApp.LoadCatalog(directory, errors) ?? throw new InvalidOperationException(errors.ToString());
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = JudgeApp.Build(builder, catalog, time);
        await app.StartAsync();
        return new RunningJudge(app, directory, app.Urls.First().TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

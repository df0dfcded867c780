using Canary.Analysis.Configuration;

namespace Canary.Analysis.Judge;

/// <summary>
/// The judge service: <c>--policies DIR</c> (policy documents, one per file, each named by <c>metadata.name</c>) and the
/// usual ASP.NET Core settings (<c>--urls</c>). A directory with an invalid document is refused before anything listens:
/// every error is printed (file, line, field, value) and the process exits with 2.
/// </summary>
internal static class JudgeApp
{
    /// <summary>The exit code for a refused policy directory (or a missing <c>--policies</c>).</summary>
    public const int RefusedExitCode = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter errors)
    {
        var builder = WebApplication.CreateBuilder(args);
        var catalog = LoadCatalog(builder.Configuration["policies"], errors);
        if (catalog is null)
        {
            return RefusedExitCode;
        }

        await using var app = Build(builder, catalog, TimeProvider.System);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Reads the policy directory, or prints why it cannot be used and returns null.</summary>
    public static PolicyCatalog? LoadCatalog(string? directory, TextWriter errors)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            errors.WriteLine("canary-judge: --policies DIR is required (a directory of policy documents, one per file).");
            return null;
        }

        try
        {
            var catalog = PolicyCatalog.LoadDirectory(directory);
            var unusable = catalog.Documents.Where(d => d.PrometheusAddress is null).ToList();
            foreach (var document in unusable)
            {
                errors.WriteLine($"{document.Origin}: source.prometheus.address: the judge reads Prometheus; the policy '{document.Name}' names no server.");
            }

            return unusable.Count == 0 ? catalog : null;
        }
        catch (PolicyDocumentException e)
        {
            errors.WriteLine($"canary-judge: refusing to start, {e.Errors.Count} error(s) in {directory}:");
            foreach (var error in e.Errors)
            {
                errors.WriteLine($"  {error}");
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"canary-judge: cannot read the policy directory '{directory}': {e.Message}");
            return null;
        }
    }

    /// <summary>Builds the service on <paramref name="builder"/> for the policies of <paramref name="catalog"/>.</summary>
    public static WebApplication Build(WebApplicationBuilder builder, PolicyCatalog catalog, TimeProvider time)
    {
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<PolicySources>();
        builder.Services.AddSingleton<KayentaExecutions>();
        builder.Services.AddSingleton<WebAnalyses>();

        // Reasons carry ≥, α and dashes: written as they are, readable in Argo's measurements and in logs.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok(new { status = "ok", policies = catalog.Documents.Select(d => d.Name) }));
        KayentaEndpoints.Map(app);
        WebEndpoints.Map(app);
        return app;
    }
}

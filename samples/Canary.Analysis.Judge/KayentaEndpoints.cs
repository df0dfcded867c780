using Canary.Analysis.Metrics;

namespace Canary.Analysis.Judge;

/// <summary>
/// The three calls of Argo Rollouts' kayenta metric provider (<c>metricproviders/kayenta/kayenta.go</c>): list the canary
/// configs (here: the policies, id = name), start a judgement, read it. Argo reads <c>canaryExecutionId</c>, then
/// <c>complete</c> and <c>result.judgeResult.score.score</c>; the evidence sits beside the score.
/// </summary>
internal static class KayentaEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/canaryConfig", (PolicySources sources, string? application) =>
            Results.Json(sources.Catalog.Documents.Select(d => new
            {
                id = d.Name,
                name = d.Name,
                applications = application is null ? Array.Empty<string>() : [application],
            })));

        app.MapPost("/canary/{configId}", (string configId, KayentaRequest? request, string? application, PolicySources sources, KayentaExecutions executions, IHostApplicationLifetime lifetime) =>
        {
            if (sources.Find(configId) is not { } document)
            {
                return Results.NotFound(new { message = $"No canary config (policy) has the id '{configId}'; the policies are {string.Join(", ", sources.Catalog.Documents.Select(d => d.Name))}." });
            }

            var (scopes, pass, marginal, error) = KayentaJudge.Validate(request);
            if (error is not null)
            {
                return Results.BadRequest(new { message = error });
            }

            var stopping = lifetime.ApplicationStopping;
            var execution = executions.Start(document.Name, application, pass, marginal, () => KayentaJudge.JudgeAsync(document, sources.SourceFor(document), scopes, pass, marginal, stopping));
            return execution is null
                ? Results.Json(new { message = $"The judge holds {KayentaExecutions.MaximumExecutions} executions; retry later." }, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Json(new { canaryExecutionId = execution.Id });
        });

        app.MapGet("/canary/{executionId}", (string executionId, KayentaExecutions executions) =>
        {
            if (executions.Find(executionId) is not { } execution)
            {
                return Results.NotFound(new { message = $"No canary execution has the id '{executionId}' (executions are kept {KayentaExecutions.Retention.TotalMinutes:0} minutes)." });
            }

            var task = execution.Judgement;
            if (!task.IsCompleted)
            {
                return Results.Json(new { id = execution.Id, canaryConfigId = execution.Policy, application = execution.Application, complete = false, status = "running", executionStatus = "RUNNING" });
            }

            if (!task.IsCompletedSuccessfully)
            {
                // No score: Argo records an Error measurement (its "Missing Score"), never a pass.
                var exception = task.Exception?.GetBaseException();
                var message = exception is MetricQueryException or InvalidOperationException or ArgumentException
                    ? exception.Message
                    : $"the judgement failed: {exception?.GetType().Name ?? "cancelled"}";
                return Results.Json(new { id = execution.Id, canaryConfigId = execution.Policy, application = execution.Application, complete = true, status = "terminal", executionStatus = "TERMINAL", exception = new { message } });
            }

            var judgement = task.Result;
            return Results.Json(new
            {
                id = execution.Id,
                canaryConfigId = execution.Policy,
                application = execution.Application,
                complete = true,
                status = "succeeded",
                executionStatus = "SUCCEEDED",
                startTimeIso = execution.Started.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                result = new
                {
                    judgeResult = new
                    {
                        judgeName = "canary-analysis",
                        score = new { score = judgement.Score, classification = judgement.Verdict.ToString(), classificationReason = judgement.Reason },
                        thresholds = new { pass = execution.Pass, marginal = execution.Marginal },
                        results = judgement.Checks,
                    },
                },
            });
        });
    }
}

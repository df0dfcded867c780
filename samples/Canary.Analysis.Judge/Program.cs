using Canary.Analysis.Judge;

// A judge Argo Rollouts calls without changes to Argo: its kayenta metric provider (GET /canaryConfig, POST /canary/{id},
// GET /canary/{executionId}) and its web metric provider (GET /web/{policy}/{key}). See JudgeApp.
return await JudgeApp.RunAsync(args, Console.Error);

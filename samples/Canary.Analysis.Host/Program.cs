using Canary.Analysis.Host;

// A rollout host: runs the rollouts named on the command line (and every rollout already in the state directory) with the
// policies of a directory, until stopped. See HostApp for the arguments.
return await HostApp.RunAsync(args, Console.Error);

namespace Canary.Analysis.Gate.Internal;

/// <summary>A command-line argument is missing or wrong; the message names it and its value.</summary>
internal sealed class GateUsageException(string message) : Exception(message);

using System.Globalization;

namespace Canary.Analysis.Configuration;

/// <summary>One thing wrong in a policy document: where (file, path, line), the value found, and what is wrong.</summary>
/// <param name="Origin">The file (or configuration section) the document came from.</param>
/// <param name="Path">The field's path in the document, e.g. <c>checks.success-rate.minimumSucessRate</c>; empty for the whole document.</param>
/// <param name="Line">The 1-based line in the file; 0 when unknown (JSON, configuration).</param>
/// <param name="Value">The offending value as written, or null (none, or a secret's, which is never repeated).</param>
/// <param name="Message">What is wrong, and where it helps, what would be right.</param>
public sealed record PolicyDocumentError(string Origin, string Path, int Line, string? Value, string Message)
{
    /// <summary>Returns the error as one line: <c>checkout.yaml:18: checks.success-rate.minimumSucessRate = 0.95: is not a field …</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var where = Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Origin}:{Line}") : Origin;
        var field = Path.Length == 0 ? "" : $" {Path}";
        var value = Value is null ? "" : $" = '{Value}'";
        return $"{where}:{field}{value}: {Message}";
    }
}

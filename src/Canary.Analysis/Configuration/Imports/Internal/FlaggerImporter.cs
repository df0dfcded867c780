namespace Canary.Analysis.Configuration.Imports.Internal;

internal static class FlaggerImporter
{
    public static ImportResult Import(string text, string origin, PolicyImportOptions options) => throw new NotImplementedException();
}

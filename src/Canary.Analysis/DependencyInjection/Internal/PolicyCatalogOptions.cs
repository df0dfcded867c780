using Canary.Analysis.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Canary.Analysis.DependencyInjection.Internal;

/// <summary>The policies read from configuration, or why they could not be: validated when the host starts.</summary>
internal sealed class PolicyCatalogOptions
{
    public PolicyCatalog? Catalog { get; private set; }

    public PolicyDocumentException? Error { get; private set; }

    public void Read(IConfiguration configuration)
    {
        try
        {
            (Catalog, Error) = (PolicyCatalog.FromConfiguration(configuration), null);
        }
        catch (PolicyDocumentException e)
        {
            (Catalog, Error) = (null, e);
        }
    }
}

/// <summary>Fails the host's start with every error of every policy (file or configuration path, field, value).</summary>
internal sealed class PolicyCatalogOptionsValidator : IValidateOptions<PolicyCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyCatalogOptions options) => options.Error is { } error
        ? ValidateOptionsResult.Fail(error.Errors.Count == 0 ? [error.Message] : error.Errors.Select(e => e.ToString()))
        : ValidateOptionsResult.Success;
}

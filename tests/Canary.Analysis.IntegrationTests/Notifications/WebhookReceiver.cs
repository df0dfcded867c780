using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Analysis.IntegrationTests.Notifications;

/// <summary>A loopback webhook receiver on Kestrel (127.0.0.1, free port) that keeps every body posted to it.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<string> _bodies;

    private WebhookReceiver(WebApplication app, Channel<string> bodies, Uri address)
    {
        _app = app;
        _bodies = bodies;
        Address = address;
    }

    /// <summary>Gets the base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var bodies = Channel.CreateUnbounded<string>();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            await bodies.Writer.WriteAsync(await reader.ReadToEndAsync());
            return Results.Ok();
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new WebhookReceiver(app, bodies, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <summary>Waits for the next body that <paramref name="match"/> accepts (others are skipped).</summary>
    public async Task<string> NextAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var body = await _bodies.Reader.ReadAsync(cancel.Token);
            if (match(body))
            {
                return body;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

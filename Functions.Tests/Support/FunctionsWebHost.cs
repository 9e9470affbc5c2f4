using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Escalation.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Escalation.Tests.Support;

/// <summary>
/// A stand-in for the Functions host's HTTP front door, for tests that need a real HTTP server (a browser): Kestrel on
/// 127.0.0.1 and a free port, with every HTTP function of the BUILT functions.metadata (its route and methods, under
/// host.json's route prefix) mapped to its method on the function class, created from the <see cref="TestApp"/>'s
/// real service graph. Route values, the request, the Durable client and the cancellation token are bound like the
/// worker binds them; the returned IActionResult is executed by ASP.NET Core MVC as under the worker's ASP.NET Core
/// integration. Not covered (the host's business): function keys, the worker middleware.
/// </summary>
internal sealed class FunctionsWebHost : IAsyncDisposable
{
    private readonly WebApplication _web;

    private FunctionsWebHost(WebApplication web, Uri baseAddress, IReadOnlyList<string> routes)
    {
        _web = web;
        BaseAddress = baseAddress;
        Routes = routes;
    }

    /// <summary>The server's root, e.g. http://127.0.0.1:41234/ (the API is under api/).</summary>
    public Uri BaseAddress { get; }

    /// <summary>"GET api/me"-style lines of every mapped function.</summary>
    public IReadOnlyList<string> Routes { get; }

    public static async Task<FunctionsWebHost> StartAsync(TestApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var output = BuiltAppFolder();
        var prefix = RoutePrefix(Path.Combine(output, "host.json"));
        // No configuration files are watched: inotify instances are few (128 per user) and shared with every test process.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = output,
        });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddMvcCore();
        var web = builder.Build();

        var assembly = typeof(FunctionsServiceCollectionExtensions).Assembly;
        var routes = new List<string>();
        foreach (var function in HttpFunctions(Path.Combine(output, "functions.metadata")))
        {
            var split = function.EntryPoint.LastIndexOf('.');
            var type = assembly.GetType(function.EntryPoint[..split], throwOnError: true)!;
            var method = type.GetMethod(function.EntryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                ?? throw new InvalidOperationException($"{function.EntryPoint} not found");
            var pattern = string.IsNullOrEmpty(prefix) ? function.Route : $"{prefix}/{function.Route}";
            web.MapMethods(pattern, function.Methods, context => InvokeAsync(context, app, type, method)).WithDisplayName(function.Name);
            routes.AddRange(function.Methods.Select(m => $"{m} {pattern}"));
        }

        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new FunctionsWebHost(web, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"), routes);
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }

    private static async Task InvokeAsync(HttpContext context, TestApp app, Type type, MethodInfo method)
    {
        // Like the worker: a function class instance per invocation, its dependencies from the app's services.
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(app.Services, type);
        var arguments = method.GetParameters().Select(parameter => Bind(parameter, context, app)).ToArray();
        var returned = method.Invoke(target, arguments);
        var result = returned switch
        {
            Task<IActionResult> task => await task,
            IActionResult value => value,
            _ => throw new InvalidOperationException($"{method.Name} returned {returned?.GetType().Name ?? "null"}, not an IActionResult."),
        };
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    private static object? Bind(ParameterInfo parameter, HttpContext context, TestApp app)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(DurableTaskClient))
        {
            return app.Durable?.Client ?? throw new InvalidOperationException("Start the TestApp with Durable for functions that take a Durable client.");
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        // Route values by name, converted like the worker's binding does for strings and numbers.
        var value = context.Request.RouteValues[parameter.Name!]?.ToString();
        return value is null ? null
            : parameter.ParameterType == typeof(string) ? value
            : Convert.ChangeType(value, parameter.ParameterType, CultureInfo.InvariantCulture);
    }

    private sealed record HttpFunction(string Name, string EntryPoint, string Route, string[] Methods);

    private static List<HttpFunction> HttpFunctions(string metadataPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(metadataPath));
        var functions = new List<HttpFunction>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var trigger = function.GetProperty("bindings").EnumerateArray().FirstOrDefault(b => b.GetProperty("type").GetString() == "httpTrigger");
            if (trigger.ValueKind == JsonValueKind.Undefined)
            {
                continue;
            }

            var name = function.GetProperty("name").GetString()!;
            var route = trigger.TryGetProperty("route", out var r) && !string.IsNullOrWhiteSpace(r.GetString()) ? r.GetString()! : name;
            var methods = trigger.TryGetProperty("methods", out var m)
                ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToArray()
                : ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
            functions.Add(new HttpFunction(name, function.GetProperty("entryPoint").GetString()!, route, methods));
        }

        return functions;
    }

    private static string RoutePrefix(string hostJsonPath)
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllBytes(hostJsonPath));
        return hostJson.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString()!.Trim('/')
            : "api";
    }

    /// <summary>The Functions project's own build output (same configuration and framework as the tests).</summary>
    private static string BuiltAppFolder()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var folder = RepositoryPaths.Combine("Functions", "bin", output.Parent!.Name, output.Name);
        File.Exists(Path.Combine(folder, "functions.metadata")).ShouldBeTrue($"{folder}/functions.metadata is missing: build the Functions project first.");
        return folder;
    }
}

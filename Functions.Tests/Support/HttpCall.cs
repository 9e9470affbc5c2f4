using System.Text;
using System.Text.Json;
using Escalation.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Escalation.Tests.Support;

/// <summary>The response as a client sees it: status, headers and body.</summary>
internal sealed record HttpOutcome(int Status, string? ContentType, IHeaderDictionary Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>Builds real ASP.NET Core requests for the function methods and executes their results like the host does.</summary>
internal static class HttpCall
{
    public static readonly IServiceProvider MvcServices = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider();

    public static HttpRequest Request(string method, string path, string? body = null, Caller? caller = null,
        string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = MvcServices };
        context.Request.Method = method;
        context.Request.Path = path;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        if (caller is not null)
        {
            context.Request.Headers[ClientPrincipal.HeaderName] =
                ClientPrincipal.Encode(caller.Id, caller.Name, caller.Email, [.. caller.Roles]);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static async Task<HttpOutcome> ExecuteAsync(HttpRequest request, IActionResult result)
    {
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new HttpOutcome(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, body);
    }

    public static Caller Person(string id, params string[] roles) =>
        new(id, id, $"{id}@example.edu", roles.ToHashSet(StringComparer.OrdinalIgnoreCase));
}

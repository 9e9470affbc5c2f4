using System.Collections.Immutable;
using System.Net;
using Escalation.Core.Storage;
using Escalation.Functions.Http;
using Escalation.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Cosmos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Escalation.Tests.Http;

/// <summary>Store outages reach HTTP callers as 503 problem details with Retry-After; defects are not disguised as outages.</summary>
public class StoreOutageMiddlewareTests
{
    public static TheoryData<Exception, bool> Exceptions => new()
    {
        { Cosmos(HttpStatusCode.TooManyRequests), true },
        { Cosmos(HttpStatusCode.ServiceUnavailable), true },
        { Cosmos(HttpStatusCode.RequestTimeout), true },
        { Cosmos(HttpStatusCode.PreconditionFailed), true },
        { new TimeoutException(), true },
        { new HttpRequestException("connection refused"), true },
        { Cosmos(HttpStatusCode.BadRequest), false },
        { Cosmos(HttpStatusCode.Forbidden), false },
        { new InvalidOperationException(), false },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Passing_outages_are_told_from_defects(Exception exception, bool transient) =>
        StoreOutage.IsTransient(exception).ShouldBe(transient);

    [Fact]
    public async Task A_throttled_store_answers_503_with_the_wait_it_asked_for()
    {
        var http = new DefaultHttpContext { RequestServices = HttpCall.MvcServices };
        http.Request.Path = "/api/tickets";
        http.Response.Body = new MemoryStream();

        await new StoreOutageMiddleware(NullLogger<StoreOutageMiddleware>.Instance)
            .Invoke(new HttpFunctionContext(http), _ => throw Cosmos(HttpStatusCode.TooManyRequests, TimeSpan.FromMilliseconds(7_200)));

        http.Response.StatusCode.ShouldBe(503);
        http.Response.ContentType.ShouldBe(Problems.ContentType);
        http.Response.Headers.RetryAfter.ToString().ShouldBe("8");
    }

    [Fact]
    public async Task A_defect_is_not_turned_into_an_outage()
    {
        var http = new DefaultHttpContext();

        await Should.ThrowAsync<InvalidOperationException>(() => new StoreOutageMiddleware(NullLogger<StoreOutageMiddleware>.Instance)
            .Invoke(new HttpFunctionContext(http), _ => throw new InvalidOperationException("bug")));
    }

    private static TestCosmosException Cosmos(HttpStatusCode status, TimeSpan? retryAfter = null) =>
        new TestCosmosException(status, retryAfter);

    private sealed class TestCosmosException(HttpStatusCode status, TimeSpan? retryAfter)
        : CosmosException("store", status, 0, "activity", 1)
    {
        public override TimeSpan? RetryAfter => retryAfter;
    }

    /// <summary>The least a FunctionContext needs for an HTTP invocation: the ASP.NET Core integration keeps the HttpContext in Items.</summary>
    private sealed class HttpFunctionContext(HttpContext http) : FunctionContext
    {
        public override string InvocationId => "test";

        public override string FunctionId => "test";

        public override TraceContext TraceContext => null!;

        public override BindingContext BindingContext => null!;

        public override RetryContext RetryContext => null!;

        public override IServiceProvider InstanceServices { get; set; } = http.RequestServices;

        public override FunctionDefinition FunctionDefinition { get; } = new Definition();

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object> { ["HttpRequestContext"] = http };

        public override IInvocationFeatures Features => null!;
    }

    private sealed class Definition : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => string.Empty;

        public override string EntryPoint => string.Empty;

        public override string Id => "test";

        public override string Name => "SubmitWebTicket";

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}

using System.Reflection;
using System.Text.Json;
using Escalation.Core.Intake.Email;
using Escalation.Core.Tickets;
using Escalation.Functions;
using Escalation.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.OpenApi.YamlReader;

namespace Escalation.Tests.Http;

/// <summary>Keeps Functions/openapi.yaml and the HTTP-triggered functions in step: same routes, methods and operation ids.</summary>
public partial class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_describes_exactly_the_HTTP_functions()
    {
        var documented = (await LoadAsync()).Paths
            .SelectMany(path => path.Value.Operations!.Select(op =>
                $"{op.Key.ToString().ToUpperInvariant()} {path.Key} {op.Value.OperationId}"))
            .Order()
            .ToList();

        var implemented = typeof(FunctionsServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .SelectMany(x => x.Trigger!.Methods!.Select(method =>
                $"{method.ToUpperInvariant()} /{RouteConstraint().Replace(x.Trigger.Route!, "{$1}")} {x.Function!.Name}"))
            .Order()
            .ToList();

        implemented.ShouldNotBeEmpty();
        documented.ShouldBe(implemented);
    }

    [Fact]
    public async Task Every_operation_documents_its_problem_responses_and_the_document_is_valid()
    {
        var (document, diagnostic) = await ReadAsync();

        diagnostic!.Errors.ShouldBeEmpty();
        foreach (var (path, item) in document!.Paths)
        {
            foreach (var (method, operation) in item.Operations!)
            {
                var statuses = operation.Responses!.Keys.ToList();
                statuses.ShouldContain(s => s.StartsWith('2'), $"{method} {path}");
                if (operation.Security is not { Count: 0 })
                {
                    statuses.ShouldContain("401", $"{method} {path} needs a caller");
                }
            }
        }
    }

    /// <summary>Each enum in the document lists exactly the values the API writes (camelCase names of the C# enum).</summary>
    [Theory]
    [InlineData("HistoryEntry", "type", typeof(HistoryEntryType))]
    [InlineData("Ticket", "channel", typeof(Channel))]
    [InlineData("Ticket", "status", typeof(TicketStatus))]
    [InlineData("Ticket", "sla.status", typeof(SlaStatus))]
    [InlineData("Priority", "", typeof(Priority))]
    [InlineData("EmailReceipt", "disposition", typeof(EmailDisposition))]
    [InlineData("Escalation", "status", typeof(EscalationStatus))]
    [InlineData("ChecklistStep", "", typeof(ChecklistStep))]
    public async Task Documented_enums_match_the_code(string schemaName, string propertyPath, Type enumType)
    {
        var schema = (await LoadAsync()).Components!.Schemas![schemaName];
        foreach (var name in propertyPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            schema = schema.Properties![name];
        }

        var documented = schema.Enum!.Select(value => value!.GetValue<string>()).Order().ToList();
        var written = Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName).Order().ToList();
        documented.ShouldBe(written);
    }

    /// <summary>A route parameter's constraint ("{page:int}"), which OpenAPI paths do not carry.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteConstraint();

    private static async Task<OpenApiDocument> LoadAsync() => (await ReadAsync()).Document!;

    private static async Task<ReadResult> ReadAsync()
    {
        var settings = new OpenApiReaderSettings();
        settings.TryAddReader(OpenApiConstants.Yaml, new OpenApiYamlReader());
        await using var stream = File.OpenRead(RepositoryPaths.Combine("Functions", "openapi.yaml"));
        return await OpenApiDocument.LoadAsync(stream, OpenApiConstants.Yaml, settings);
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Escalation.Tests.Support;

/// <summary>
/// The activities a Durable worker was asked to run, per orchestration instance, in task order, read from the worker's
/// own "ReceivedActivityRequest" log (the in-memory test host's history stream returns no events). Each request
/// reaches this log twice, so requests are keyed by instance and task id.
/// </summary>
internal sealed class ActivityRequestLog : ILoggerProvider
{
    private const string EventName = "ReceivedActivityRequest";
    private readonly ConcurrentDictionary<(string InstanceId, int TaskId), string> _requests = new();

    public IReadOnlyList<string> For(string instanceId) =>
        [.. _requests.Where(r => r.Key.InstanceId == instanceId).OrderBy(r => r.Key.TaskId).Select(r => r.Value)];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(ActivityRequestLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == EventName && state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                var values = fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
                if (values.GetValueOrDefault("instanceId") is string instanceId && values.GetValueOrDefault("taskId") is int taskId
                    && values.GetValueOrDefault("name") is string name)
                {
                    log._requests[(instanceId, taskId)] = name;
                }
            }
        }
    }
}

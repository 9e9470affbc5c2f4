// Azure Monitor alerts on the app's telemetry in Application Insights, e-mailed to ops through an action group, and
// a workbook of the escalation metrics the worker exports (Functions.Core/EscalationTelemetry.cs).

import { tagsType } from 'types.bicep'

@description('Suffix of the alert rule and action group names (the resource token).')
param nameSuffix string

@description('Azure region of the alert rules.')
param location string

@description('Resource tags.')
param tags tagsType

@description('Application Insights component the queries run against.')
param appInsightsId string

@description('E-mail address that receives the alerts.')
param emailAddress string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${nameSuffix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'escalation'
    enabled: true
    emailReceivers: [
      {
        name: 'ops'
        emailAddress: emailAddress
        useCommonAlertSchema: true
      }
    ]
  }
}

// Each rule fires when its query returns at least one row in its window.
var rules = [
  {
    name: 'failed-executions'
    displayName: 'Failed function executions'
    description: 'A function invocation (HTTP request, orchestrator, activity) ended with an error.'
    severity: 2
    windowSize: 'PT5M'
    query: 'requests | where success == false'
  }
  {
    name: 'failed-orchestrations'
    displayName: 'Failed ticket orchestrations'
    description: 'A Durable Functions orchestration ended in the Failed state: the ticket is no longer escalated automatically.'
    severity: 1
    windowSize: 'PT5M'
    // Durable Functions tracking events, logged by the host under category Host.Triggers.DurableTask.
    query: 'traces | where tostring(customDimensions.Category) == "Host.Triggers.DurableTask" | where tostring(customDimensions.prop__functionType) == "Orchestrator" and tostring(customDimensions.prop__state) == "Failed"'
  }
  {
    name: 'escalation-notice-not-sent'
    displayName: 'Escalation e-mail could not be sent'
    description: 'An escalation notice could not be e-mailed after all retries (EventId 1001, Escalation.Core.Workflow.TicketOrchestrator).'
    severity: 1
    windowSize: 'PT5M'
    // Worker logs reach Application Insights through the Functions host, which may rename the category; the
    // message text is matched as well so that the rule does not depend on EventId being forwarded.
    query: 'traces | where tostring(customDimensions.EventId) == "1001" or message has "could not be sent after all retries"'
  }
  {
    name: 'escalation-lag'
    displayName: 'Escalations are late'
    description: 'Over the last 15 minutes, escalation notices left more than 60 s after their deadline at the 99th percentile: more than 1 % of them were late (see ADR 15). An instance that crashed, a stalled task hub or a mail outage.'
    severity: 1
    windowSize: 'PT15M'
    // Azure Monitor keeps a histogram's count, sum, min and max, not its buckets, so the p99 test is a count: the
    // notices sent more than 60 s late (escalation.notices.late) against all notices (escalation.notice.lag).
    query: 'customMetrics | where name in ("escalation.notice.lag", "escalation.notices.late") | summarize notices = sumif(valueCount, name == "escalation.notice.lag"), late = sumif(valueSum, name == "escalation.notices.late") | where notices > 0 and late * 100 > notices'
  }
  {
    name: 'escalation-notice-refused'
    displayName: 'Escalation notice refused by the mail provider'
    description: 'The mail provider refused an escalation notice for good (an invalid address): a manager or lead was not told of a breach. The ticket history shows which.'
    severity: 1
    windowSize: 'PT5M'
    query: 'customMetrics | where name == "escalation.notices.failed" | summarize failed = sum(valueSum) | where failed > 0'
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for rule in rules: {
    name: 'alert-${rule.name}-${nameSuffix}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [appInsightsId]
      evaluationFrequency: 'PT5M'
      windowSize: rule.windowSize
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: false
      actions: {
        actionGroups: [actionGroup.id]
      }
    }
  }
]

// What ops look at when an alert fires: escalation lag, notices, intake, queued starts and the console's latency.
var workbookCharts = [
  {
    title: 'Escalation lag after the deadline (s): average and worst per 5 minutes; notices more than 60 s late'
    query: 'customMetrics | where name in ("escalation.notice.lag", "escalation.notices.late") | summarize average = sumif(valueSum, name == "escalation.notice.lag") / sumif(valueCount, name == "escalation.notice.lag"), worst = maxif(valueMax, name == "escalation.notice.lag"), late = sumif(valueSum, name == "escalation.notices.late") by bin(timestamp, 5m)'
  }
  {
    title: 'Escalation notices sent and refused'
    query: 'customMetrics | where name in ("escalation.notices.sent", "escalation.notices.failed") | summarize notices = sum(valueSum) by name, bin(timestamp, 5m)'
  }
  {
    title: 'Intake by channel and outcome'
    query: 'customMetrics | where name == "escalation.intake" | summarize deliveries = sum(valueSum) by series = strcat(tostring(customDimensions.channel), " ", tostring(customDimensions.outcome)), bin(timestamp, 5m)'
  }
  {
    title: 'Orchestration starts queued in an instance (most at once) and their worst delay (ms)'
    query: 'customMetrics | where name in ("escalation.orchestration.starts_queued", "escalation.orchestration.start_delay") | summarize queued = maxif(valueSum, name == "escalation.orchestration.starts_queued"), worstDelay = maxif(valueMax, name == "escalation.orchestration.start_delay") by bin(timestamp, 5m)'
  }
  {
    title: 'Worklist and report latency (ms): average and worst'
    query: 'customMetrics | where name in ("escalation.worklist.duration", "escalation.report.duration") | summarize average = sum(valueSum) / sum(valueCount), worst = max(valueMax) by name, bin(timestamp, 5m)'
  }
]

var workbookItems = [
  for (chart, i) in workbookCharts: {
    type: 3
    name: 'chart-${i}'
    content: {
      version: 'KqlItem/1.0'
      title: chart.title
      query: chart.query
      size: 0
      timeContext: { durationMs: 86400000 }
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: 'timechart'
    }
  }
]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'escalation-operations', nameSuffix)
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Service desk escalations (${nameSuffix})'
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: string({ version: 'Notebook/1.0', items: workbookItems })
  }
}

// Azure Monitor alerts on the app's telemetry in Application Insights, e-mailed to ops through an action group.

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

// Each rule fires when its query returns at least one row in the last evaluation window.
var rules = [
  {
    name: 'failed-executions'
    displayName: 'Failed function executions'
    description: 'A function invocation (HTTP request, orchestrator, activity) ended with an error.'
    severity: 2
    query: 'requests | where success == false'
  }
  {
    name: 'failed-orchestrations'
    displayName: 'Failed ticket orchestrations'
    description: 'A Durable Functions orchestration ended in the Failed state: the ticket is no longer escalated automatically.'
    severity: 1
    // Durable Functions tracking events, logged by the host under category Host.Triggers.DurableTask.
    query: 'traces | where tostring(customDimensions.Category) == "Host.Triggers.DurableTask" | where tostring(customDimensions.prop__functionType) == "Orchestrator" and tostring(customDimensions.prop__state) == "Failed"'
  }
  {
    name: 'escalation-notice-not-sent'
    displayName: 'Escalation e-mail could not be sent'
    description: 'An escalation notice could not be e-mailed after all retries (EventId 1001, Escalation.Core.Workflow.TicketOrchestrator).'
    severity: 1
    // Worker logs reach Application Insights through the Functions host, which may rename the category; the
    // message text is matched as well so that the rule does not depend on EventId being forwarded.
    query: 'traces | where tostring(customDimensions.EventId) == "1001" or message has "could not be sent after all retries"'
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
      windowSize: 'PT5M'
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

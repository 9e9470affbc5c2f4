// Service Bus namespace with the topic the app publishes escalation events to, and one example subscription.
// Local (SAS key) authentication is off; the app's identity may only send to the topic (role-assignments.bicep).

import { tagsType } from 'types.bicep'

@description('Service Bus namespace name.')
param name string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags tagsType

@description('Standard, or Premium (required for private endpoints).')
@allowed([
  'Standard'
  'Premium'
])
param skuName string

@description('When true the namespace is reachable through private endpoints only (Premium only).')
param privateNetworking bool

@description('Log Analytics workspace receiving the diagnostic logs.')
param workspaceId string

@description('Name of the topic the app publishes to (the app\'s ServiceBus__TopicName).')
param topicName string

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuName
    capacity: skuName == 'Premium' ? 1 : null
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = {
  parent: namespace
  name: topicName
  properties: {
    // The app sets MessageId per escalation notice, so a publish retried by the orchestration is dropped here.
    requiresDuplicateDetection: true
    // Activity retries finish within minutes; an hour also covers a retry after a host restart.
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    defaultMessageTimeToLive: 'P14D'
  }
}

// An example consumer: keeps a copy of every event for auditing. Other consumers add their own subscriptions.
resource auditSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = {
  parent: topic
  name: 'audit'
  properties: {
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
    deadLetteringOnMessageExpiration: true
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = namespace.id
output name string = namespace.name

@description('Host name only (no scheme or port), as ServiceBusClient expects it.')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]

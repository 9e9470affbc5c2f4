// Cosmos DB for NoSQL: the database and containers the app uses (Functions.Core/Storage/CosmosOptions.cs,
// CosmosContainers; Functions.Tests/Infra/BicepDriftTests.cs fails when they drift apart). Keys are off: the app
// authenticates with its managed identity and a data-plane role assignment (role-assignments.bicep).

import { tagsType } from 'types.bicep'

@description('Cosmos DB account name.')
param name string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags tagsType

@description('serverless: pay per request (no throughput to manage). autoscale: provisioned throughput shared by the database\'s containers.')
@allowed([
  'serverless'
  'autoscale'
])
param throughputMode string

@description('Autoscale maximum RU/s of the database (autoscale mode only).')
@minValue(1000)
param autoscaleMaxThroughput int

@description('When true the account is reachable through private endpoints only.')
param privateNetworking bool

@description('Log Analytics workspace receiving the diagnostic logs.')
param workspaceId string

@description('Name of the database (the app\'s Cosmos__DatabaseName).')
param databaseName string

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: throughputMode == 'serverless' ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    // Databases and containers change through Resource Manager (this template) only, never through the data plane.
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    // Autoscale throughput is set once on the database and shared by its small containers.
    options: throughputMode == 'autoscale' ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

// The containers are declared one by one, with literal names and partition key paths, so that the drift test
// can read them from the compiled template. No container has a default TTL: nothing expires.

resource tickets 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'tickets'
  properties: {
    resource: {
      id: 'tickets'
      partitionKey: {
        paths: ['/id']
        kind: 'Hash'
        version: 2
      }
      // The default policy, minus the large text that is read with the document but never queried.
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/*' }
        ]
        excludedPaths: [
          { path: '/history/*' }
          { path: '/description/?' }
          { path: '/"_etag"/?' }
        ]
      }
    }
  }
}

resource intakeKeys 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'intake-keys'
  properties: {
    resource: {
      id: 'intake-keys'
      partitionKey: {
        paths: ['/id']
        kind: 'Hash'
        version: 2
      }
    }
  }
}

resource directory 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'directory'
  properties: {
    resource: {
      id: 'directory'
      partitionKey: {
        paths: ['/snapshot']
        kind: 'Hash'
        version: 2
      }
    }
  }
}

resource sequences 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'sequences'
  properties: {
    resource: {
      id: 'sequences'
      partitionKey: {
        paths: ['/id']
        kind: 'Hash'
        version: 2
      }
    }
  }
}

resource ticketHistory 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'ticket-history'
  properties: {
    resource: {
      id: 'ticket-history'
      partitionKey: {
        paths: ['/id']
        kind: 'Hash'
        version: 2
      }
      // Pages are read whole by id, never queried.
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/ticketNumber/?' }
        ]
        excludedPaths: [
          { path: '/*' }
        ]
      }
    }
  }
}

resource reporting 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'reporting'
  properties: {
    resource: {
      id: 'reporting'
      partitionKey: {
        paths: ['/id']
        kind: 'Hash'
        version: 2
      }
      // The read model (ADR 10): day documents are queried by kind and day, everything else is read by id.
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/kind/?' }
          { path: '/day/?' }
        ]
        excludedPaths: [
          { path: '/*' }
        ]
      }
    }
  }
}

resource worklist 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-04-15' = {
  parent: database
  name: 'worklist'
  properties: {
    resource: {
      id: 'worklist'
      // One logical partition ('open'): a few thousand entries of about 400 bytes, so every view is a single-partition query.
      partitionKey: {
        paths: ['/partition']
        kind: 'Hash'
        version: 2
      }
      // The agents' worklist (ADR 14): one small entry per open ticket. Only the fields the views filter and sort on
      // are indexed; the composite indexes serve each view's filter with its sort (SLA due, priority, activity).
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/teamId/?' }
          { path: '/agentId/?' }
          { path: '/assigned/?' }
          { path: '/answered/?' }
          { path: '/awaitingDesk/?' }
          { path: '/status/?' }
          { path: '/priority/?' }
          { path: '/priorityRank/?' }
          { path: '/channel/?' }
          { path: '/slaDueAt/?' }
          { path: '/halfwayAt/?' }
          { path: '/lastActivityAt/?' }
          { path: '/subjectSearch/?' }
        ]
        excludedPaths: [
          { path: '/*' }
        ]
        compositeIndexes: [
          [
            { path: '/teamId', order: 'ascending' }
            { path: '/slaDueAt', order: 'ascending' }
          ]
          [
            { path: '/agentId', order: 'ascending' }
            { path: '/slaDueAt', order: 'ascending' }
          ]
          [
            { path: '/priorityRank', order: 'descending' }
            { path: '/slaDueAt', order: 'ascending' }
          ]
          [
            { path: '/teamId', order: 'ascending' }
            { path: '/priorityRank', order: 'descending' }
            { path: '/slaDueAt', order: 'ascending' }
          ]
          [
            { path: '/teamId', order: 'ascending' }
            { path: '/lastActivityAt', order: 'descending' }
          ]
          [
            { path: '/answered', order: 'ascending' }
            { path: '/slaDueAt', order: 'ascending' }
          ]
        ]
      }
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: workspaceId
    // Resource-specific tables (CDBDataPlaneRequests, ...) rather than AzureDiagnostics.
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint

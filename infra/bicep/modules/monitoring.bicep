// Log Analytics workspace and workspace-based Application Insights. Ingestion into Application Insights accepts
// Microsoft Entra tokens only (DisableLocalAuth); role-assignments.bicep lets the app's identity publish.

import { tagsType } from 'types.bicep'

@description('Log Analytics workspace name.')
param logAnalyticsName string

@description('Application Insights component name.')
param appInsightsName string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags tagsType

@description('Days the workspace keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      // No workspace shared keys: diagnostic settings and Application Insights do not need them.
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // The instrumentation key alone no longer lets anyone send telemetry: Entra authentication only.
    DisableLocalAuth: true
  }
}

output workspaceId string = workspace.id
output appInsightsId string = appInsights.id
output appInsightsName string = appInsights.name

@description('Not a secret: with local authentication disabled it identifies the component but grants nothing.')
output appInsightsConnectionString string = appInsights.properties.ConnectionString

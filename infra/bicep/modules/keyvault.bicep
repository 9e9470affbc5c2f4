// Key Vault for the app's secrets (SendGrid API key, webhook secrets, the Entra client secret), referenced from
// app settings. RBAC mode (role-assignments.bicep): the function app's identity may read secrets, nothing else.
// Bicep creates no secret values; ops set them after deployment (infra/README.md).

import { tagsType } from 'types.bicep'

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags tagsType

@description('When true the vault is reachable through private endpoints only.')
param privateNetworking bool

@description('Log Analytics workspace receiving the diagnostic logs.')
param workspaceId string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Irreversible once set: a deleted vault or secret cannot be purged before the retention period ends.
    enablePurgeProtection: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
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

output id string = vault.id
output name string = vault.name

@description('https://<name>.vault.azure.net/ (with the trailing slash).')
output uri string = vault.properties.vaultUri

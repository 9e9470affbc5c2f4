// Every grant of the deployment in one place, each at the narrowest scope the app needs. Names are
// guid(scope, principalId, roleDefinitionId): stable across redeployments, and a recreated identity (new
// principal id) gets new assignments instead of colliding with the stale ones.

@description('Principal id of the function app\'s user-assigned managed identity.')
param principalId string

@description('Storage account name.')
param storageAccountName string

@description('Blob container holding the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Blob container for e-mail attachments and quarantined e-mails.')
param attachmentsContainerName string

@description('Blob containers of the Functions host and the Durable Functions task hub.')
param hostContainerNames string[]

@description('Cosmos DB account name.')
param cosmosAccountName string

@description('Service Bus namespace name.')
param serviceBusNamespaceName string

@description('Service Bus topic name.')
param serviceBusTopicName string

@description('Key Vault name.')
param keyVaultName string

@description('Application Insights component name.')
param appInsightsName string

@description('Optional object id of a person or group of ops who set the Key Vault secrets; empty for none.')
param opsPrincipalId string

@description('Principal type of opsPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param opsPrincipalType string

// Built-in Azure RBAC role definition ids.
var storageBlobDataOwner = subscriptionResourceId(
  'Microsoft.Authorization/roleDefinitions',
  'b7e6dc6d-f1e8-4753-8033-0f4345a31d0f'
)
var storageBlobDataContributor = subscriptionResourceId(
  'Microsoft.Authorization/roleDefinitions',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
)
var storageAccountRoleIds = [
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor (host and task hub queues, created at run time)
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor (task hub history and instances tables)
]
var serviceBusDataSender = subscriptionResourceId(
  'Microsoft.Authorization/roleDefinitions',
  '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
)
var keyVaultSecretsUser = subscriptionResourceId(
  'Microsoft.Authorization/roleDefinitions',
  '4633458b-17de-408a-b874-0445c86b69e6'
)
var keyVaultSecretsOfficer = subscriptionResourceId(
  'Microsoft.Authorization/roleDefinitions',
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
)
var monitoringMetricsPublisher = subscriptionResourceId(
  'Microsoft.Authorization/roleDefinitions',
  '3913510d-42f4-4e42-8a64-420c390055eb'
)

// ----- Storage. Blobs per container: Blob Data Owner only on the deployment package container (Flex Consumption
// requires it there), Blob Data Contributor (read, write, delete, leases; no ACLs) on the attachments container and
// on the host's and task hub's containers, nothing on the rest of the account. Queues and tables account-wide: the
// host and the task hub create them at run time under names derived from the app and the task hub.

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' existing = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: blobService
  name: deploymentContainerName
}

resource deploymentRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deploymentContainer.id, principalId, storageBlobDataOwner)
  scope: deploymentContainer
  properties: {
    principalId: principalId
    roleDefinitionId: storageBlobDataOwner
    principalType: 'ServicePrincipal'
  }
}

resource appContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = [
  for containerName in concat([attachmentsContainerName], hostContainerNames): {
    parent: blobService
    name: containerName
  }
]

resource appContainerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (containerName, i) in concat([attachmentsContainerName], hostContainerNames): {
    name: guid(appContainers[i].id, principalId, storageBlobDataContributor)
    scope: appContainers[i]
    properties: {
      principalId: principalId
      roleDefinitionId: storageBlobDataContributor
      principalType: 'ServicePrincipal'
    }
  }
]

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageAccountRoleIds: {
    name: guid(storage.id, principalId, subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId))
    scope: storage
    properties: {
      principalId: principalId
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalType: 'ServicePrincipal'
    }
  }
]

// ----- Cosmos DB: Built-in Data Contributor, a data-plane role (not Azure RBAC). Scoped to the account: the
// account holds only the app's database, and the SDK reads account metadata when it starts. The role covers items
// and queries only; databases and containers cannot be created through the data plane.

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2025-04-15' existing = {
  name: cosmosAccountName
}

resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions@2025-04-15' existing = {
  parent: cosmos
  name: '00000000-0000-0000-0000-000000000002'
}

resource cosmosRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-04-15' = {
  parent: cosmos
  name: guid(cosmos.id, principalId, cosmosDataContributor.id)
  properties: {
    principalId: principalId
    roleDefinitionId: cosmosDataContributor.id
    scope: cosmos.id
  }
}

// ----- Service Bus: the app only publishes, so Data Sender (no Receiver) on its topic rather than the namespace

resource serviceBus 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: serviceBusNamespaceName
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' existing = {
  parent: serviceBus
  name: serviceBusTopicName
}

resource serviceBusRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, principalId, serviceBusDataSender)
  scope: topic
  properties: {
    principalId: principalId
    roleDefinitionId: serviceBusDataSender
    principalType: 'ServicePrincipal'
  }
}

// ----- Key Vault: the app reads secrets (Key Vault references); ops may set them

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource keyVaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: principalId
    roleDefinitionId: keyVaultSecretsUser
    principalType: 'ServicePrincipal'
  }
}

resource opsKeyVaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(opsPrincipalId)) {
  name: guid(vault.id, opsPrincipalId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: opsPrincipalId
    roleDefinitionId: keyVaultSecretsOfficer
    principalType: opsPrincipalType
  }
}

// ----- Application Insights: telemetry ingestion with Entra authentication (local authentication is disabled)

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource appInsightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    roleDefinitionId: monitoringMetricsPublisher
    principalType: 'ServicePrincipal'
  }
}

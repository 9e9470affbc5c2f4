// Storage account for the Functions host (AzureWebJobsStorage), the Durable Functions task hub (blobs, queues,
// tables), the Flex Consumption deployment package and e-mail attachments. Shared keys are off: every client
// authenticates with the managed identity (roles in role-assignments.bicep).

import { tagsType } from 'types.bicep'

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags tagsType

@description('Replication: zone-redundant storage where the region supports it is advisable for production.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName string

@description('When true the account is reachable through private endpoints only.')
param privateNetworking bool

@description('Blob container holding the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Blob container for e-mail attachments the app stores.')
param attachmentsContainerName string

@description('Durable Functions task hub name; its blob containers are created here so that roles can be scoped to them.')
param taskHubName string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource attachmentsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: attachmentsContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The blob containers the Functions host and the Durable Functions Azure Storage backend use. They are declared
// here, rather than left to the host to create, so that the identity's blob role can be granted per container
// (role-assignments.bicep) instead of on the whole account.
var hostContainerNames = [
  'azure-webjobs-hosts' // host id lock, timer trigger schedule status
  'azure-webjobs-secrets' // function keys
  '${toLower(taskHubName)}-leases' // partition leases of the task hub's control queues
  '${toLower(taskHubName)}-applease' // the app lease (one app instance group owns the task hub)
  '${toLower(taskHubName)}-largemessages' // orchestration payloads too large for a queue message
]

resource hostContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for containerName in hostContainerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

output id string = storage.id
output name string = storage.name

@description('Blob service endpoint (https://<account>.blob.core.windows.net/).')
output blobEndpoint string = storage.properties.primaryEndpoints.blob

@description('Blob containers of the Functions host and the task hub.')
output hostContainerNames string[] = [for i in range(0, length(hostContainerNames)): hostContainers[i].name]

@description('URL of the deployment container, as functionAppConfig.deployment.storage expects it.')
output deploymentContainerUrl string = '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'

// Service Desk Escalation: everything the function app needs, in one resource group.
//
//   az deployment group create -g <resource-group> -f infra/bicep/main.bicep -p infra/bicep/main.dev.bicepparam
//   azd up   (uses main.bicepparam, which reads the azd environment)
//
// See infra/README.md for the parameters, the post-deployment steps and infra/validate.sh.

targetScope = 'resourceGroup'

import { tagsType } from 'modules/types.bicep'

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

@description('Environment name, e.g. dev or prod (letters, digits, hyphens). Part of the resource token, the task hub name and the azd-env-name tag.')
@minLength(1)
@maxLength(32)
param environmentName string

@description('Azure region of every resource (Flex Consumption must be available there).')
param location string = resourceGroup().location

@description('Extra tags on every resource.')
param tags tagsType = {}

@description('Memory of each function app instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionAppInstanceMemoryMB int = 2048

@description('Upper limit of function app instances (40-1000).')
@minValue(40)
@maxValue(1000)
param functionAppMaximumInstanceCount int = 100

@description('Create a diagnostic setting on the function app. Turn off if the region rejects it for Flex Consumption apps.')
param functionAppDiagnosticSettings bool = true

@description('Private networking: VNet integration, private endpoints and private DNS for storage, Cosmos DB, Service Bus and Key Vault, whose public network access is then disabled. Forces Service Bus Premium.')
param enablePrivateNetworking bool = false

@description('Address space of the virtual network (private networking only); two /24 subnets are carved out of it.')
param vnetAddressPrefix string = '10.20.0.0/16'

@description('Storage replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Cosmos DB capacity: serverless, or autoscale throughput provisioned on the database.')
@allowed([
  'serverless'
  'autoscale'
])
param cosmosThroughputMode string = 'serverless'

@description('Autoscale maximum RU/s of the Cosmos DB database (autoscale mode only).')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logAnalyticsRetentionInDays int = 30

@description('SendGrid API base URL (Mail__SendGridBaseUrl).')
param mailSendGridBaseUrl string = 'https://api.sendgrid.com'

@description('Sender address of every e-mail (Mail__FromAddress); must be a verified SendGrid sender.')
param mailFromAddress string

@description('Sender display name (Mail__FromName).')
param mailFromName string = 'IT Service Desk'

@description('Domain part of the Message-IDs the app generates (Mail__MessageIdDomain).')
param mailMessageIdDomain string

@description('Reply-To of the desk\'s replies and resolutions, the Inbound Parse address (Mail__ReplyToAddress); empty = mailFromAddress.')
param mailReplyToAddress string = ''

@description('A requester\'s reply within this long after the resolution reopens the ticket, as a .NET TimeSpan (Conversation__ReopenWindow).')
param conversationReopenWindow string = '7.00:00:00'

@description('The chat platform\'s outbound webhook for the desk\'s replies (Conversation__ChatReplyUrl); empty = replies to chat tickets go by e-mail. Its signing secret is the Key Vault secret chat-reply-signing-secret.')
param conversationChatReplyUrl string = ''

@description('Public root of the app for links in e-mails (Console__PublicBaseUrl), e.g. a custom domain; empty = the function app\'s host name.')
param consolePublicBaseUrl string = ''

@description('Default first-response window as a .NET TimeSpan (Sla__DefaultWindow).')
param slaDefaultWindow string = '2.00:00:00'

@description('Count SLA windows in working time only (Sla__BusinessCalendar__Enabled).')
param slaBusinessCalendarEnabled bool = false

@description('IANA time zone of the business calendar (Sla__BusinessCalendar__TimeZone).')
param slaBusinessCalendarTimeZone string = 'UTC'

@description('First-response window per priority as .NET TimeSpans (Sla__Windows__Low, __Normal, __High, __Critical); empty = slaDefaultWindow.')
param slaWindows {
  Low: string
  Normal: string
  High: string
  Critical: string
} = {
  Low: ''
  Normal: ''
  High: ''
  Critical: ''
}

@description('Start and end of the working day, HH:mm (Sla__BusinessCalendar__WorkdayStart / __WorkdayEnd).')
param slaWorkday {
  start: string
  end: string
} = {
  start: '08:00'
  end: '17:00'
}

@description('Comma-separated working days (Sla__BusinessCalendar__WorkingDays).')
param slaWorkingDays string = 'Monday,Tuesday,Wednesday,Thursday,Friday'

@description('Comma-separated holidays as yyyy-MM-dd, on which no SLA time counts (Sla__BusinessCalendar__Holidays).')
param slaHolidays string = ''

@description('How long the assigned Escalation Coordinator has to acknowledge a manager escalation, as a .NET TimeSpan; working time when the business calendar is enabled (Escalations__AcknowledgementWindow).')
param escalationAcknowledgementWindow string = '04:00:00'

@description('How often a coordinator is reminded of open checklist steps, as a .NET TimeSpan (Escalations__ReminderInterval).')
param escalationReminderInterval string = '1.00:00:00'

@description('The coordinators\' address on the Inbound Parse domain: an e-mail to it is a manager escalation request (Escalations__CoordinatorsAddress); empty turns the e-mail path off.')
param escalationCoordinatorsAddress string = ''

@description('Share of their unit\'s tickets at which a requester\'s escalations are flagged in the requester report, 0-1 (Reporting__RequesterFlagShare).')
param reportingRequesterFlagShare string = '0.25'

@description('Fewest escalation requests in the period for a requester to be flagged (Reporting__RequesterFlagMinimum).')
@minValue(1)
param reportingRequesterFlagMinimum int = 3

@description('E-mail the assigned agent and team lead once when a ticket passes 75 % of its first-response window without a response (Reporting__AtRiskWarnings).')
param reportingAtRiskWarnings bool = false

@description('The longest period one report may cover, in days (Reporting__MaxPeriodDays).')
@minValue(1)
param reportingMaxPeriodDays int = 400

@description('Day of the week on which the weekly digest goes to the ITS managers and area leads, in the business calendar\'s time zone (Reporting__DigestDay).')
@allowed(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
param digestDay string = 'Monday'

@description('Local hour (0-23) from which that day\'s digest is sent (Reporting__DigestHour).')
@minValue(0)
@maxValue(23)
param digestHour int = 8

@description('How far a signed webhook request\'s timestamp may be from now (Intake__SignatureTolerance).')
param intakeSignatureTolerance string = '00:05:00'

@description('Largest e-mail attachment kept in blob storage, in bytes (Intake__MaxAttachmentBytes).')
param intakeMaxAttachmentBytes int = 10485760

@description('Largest inbound e-mail accepted, in bytes (Intake__MaxEmailBytes); larger ones are refused with 413.')
param intakeMaxEmailBytes int = 31457280

@description('SpamAssassin score above which an inbound e-mail is quarantined instead of ticketed (Intake__MaxSpamScore).')
param intakeMaxSpamScore string = '5.0'

@description('Voicemail transcripts below this confidence, 0-1, are flagged for a person to listen to (Intake__MinTranscriptConfidence).')
param intakeMinTranscriptConfidence string = '0.6'

@description('Application (client) id of the Microsoft Entra app registration used by App Service authentication.')
@minLength(36)
@maxLength(36)
param authClientId string

@description('Directory (tenant) id of that app registration.')
param authTenantId string = tenant().tenantId

@description('E-mail address that receives the Azure Monitor alerts.')
param alertEmailAddress string

@description('Optional object id of the ops person or group who sets the Key Vault secrets after deployment (gets Key Vault Secrets Officer). Empty for none.')
param opsPrincipalId string = ''

@description('Principal type of opsPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param opsPrincipalType string = 'User'

// ---------------------------------------------------------------------------------------------------------------
// Names and tags
// ---------------------------------------------------------------------------------------------------------------

var resourceToken = uniqueString(subscription().id, resourceGroup().id, environmentName)

// Resource names: Cloud Adoption Framework abbreviation + resource token. Known before deployment, which keeps
// What-If precise (no name depends on another resource's output).
var names = {
  functionApp: 'func-${resourceToken}'
  appServicePlan: 'asp-${resourceToken}'
  storageAccount: 'st${resourceToken}'
  cosmosAccount: 'cosmos-${resourceToken}'
  serviceBusNamespace: 'sbns-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  appInsights: 'appi-${resourceToken}'
  managedIdentity: 'id-${resourceToken}'
  virtualNetwork: 'vnet-${resourceToken}'
}

// Names the app's configuration refers to (local.settings.sample.json; checked by BicepDriftTests).
var cosmosDatabaseName = 'escalation'
var serviceBusTopicName = 'ticket-events'
var attachmentsContainerName = 'attachments'
var deploymentContainerName = 'app-package'

var allTags = union(tags, { 'azd-env-name': environmentName })

// Durable Functions task hub names are alphanumeric (3-45 characters, starting with a letter).
var taskHubName = take('escalation${toLower(replace(replace(environmentName, '-', ''), '_', ''))}', 45)

// Service Bus private endpoints exist only in the Premium tier, so private networking implies Premium.
var serviceBusSku = enablePrivateNetworking ? 'Premium' : 'Standard'

// ---------------------------------------------------------------------------------------------------------------
// Resources (module deployment names carry the resource token, so environments can share a resource group)
// ---------------------------------------------------------------------------------------------------------------

// One user-assigned identity for every dependency: it exists before the app, so all role assignments can be made
// in the same deployment, and it survives the app being recreated.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.managedIdentity
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring-${resourceToken}'
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: allTags
    retentionInDays: logAnalyticsRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage-${resourceToken}'
  params: {
    name: names.storageAccount
    location: location
    tags: allTags
    skuName: storageSkuName
    privateNetworking: enablePrivateNetworking
    deploymentContainerName: deploymentContainerName
    attachmentsContainerName: attachmentsContainerName
    taskHubName: taskHubName
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos-${resourceToken}'
  params: {
    name: names.cosmosAccount
    location: location
    tags: allTags
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    privateNetworking: enablePrivateNetworking
    workspaceId: monitoring.outputs.workspaceId
    databaseName: cosmosDatabaseName
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus-${resourceToken}'
  params: {
    name: names.serviceBusNamespace
    location: location
    tags: allTags
    skuName: serviceBusSku
    privateNetworking: enablePrivateNetworking
    workspaceId: monitoring.outputs.workspaceId
    topicName: serviceBusTopicName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault-${resourceToken}'
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    privateNetworking: enablePrivateNetworking
    workspaceId: monitoring.outputs.workspaceId
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments-${resourceToken}'
  params: {
    // The principal id is known only once the identity exists, so What-If cannot predict these assignments'
    // names; it is part of the names on purpose (see the module).
    #disable-next-line what-if-short-circuiting
    principalId: identity.properties.principalId
    storageAccountName: names.storageAccount
    deploymentContainerName: deploymentContainerName
    attachmentsContainerName: attachmentsContainerName
    hostContainerNames: storage.outputs.hostContainerNames
    cosmosAccountName: names.cosmosAccount
    serviceBusNamespaceName: names.serviceBusNamespace
    serviceBusTopicName: serviceBusTopicName
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    opsPrincipalId: opsPrincipalId
    opsPrincipalType: opsPrincipalType
  }
  // The names above are known in advance, so the resources must be waited for explicitly.
  dependsOn: [
    monitoring
    cosmos
    serviceBus
    keyVault
  ]
}

module network 'modules/network.bicep' = if (enablePrivateNetworking) {
  name: 'network-${resourceToken}'
  params: {
    name: names.virtualNetwork
    location: location
    tags: allTags
    addressPrefix: vnetAddressPrefix
  }
}

// One private endpoint per service and sub-resource, each registered in its private DNS zone.
var privateEndpoints = [
  { service: 'st', groupId: 'blob', zone: 'blob' }
  { service: 'st', groupId: 'queue', zone: 'queue' }
  { service: 'st', groupId: 'table', zone: 'table' }
  { service: 'cosmos', groupId: 'Sql', zone: 'cosmos' }
  { service: 'sbns', groupId: 'namespace', zone: 'serviceBus' }
  { service: 'kv', groupId: 'vault', zone: 'keyVault' }
]

var privateEndpointTargets = {
  st: storage.outputs.id
  cosmos: cosmos.outputs.id
  sbns: serviceBus.outputs.id
  kv: keyVault.outputs.id
}

module endpoints 'modules/private-endpoint.bicep' = [
  for pe in privateEndpoints: if (enablePrivateNetworking) {
    name: 'pe-${pe.service}-${toLower(pe.groupId)}-${resourceToken}'
    params: {
      name: 'pe-${pe.service}-${toLower(pe.groupId)}-${resourceToken}'
      location: location
      tags: allTags
      subnetId: network!.outputs.privateEndpointSubnetId
      targetResourceId: privateEndpointTargets[pe.service]
      groupId: pe.groupId
      privateDnsZoneId: network!.outputs.zoneIds[pe.zone]
    }
  }
]

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp-${resourceToken}'
  params: {
    planName: names.appServicePlan
    name: names.functionApp
    location: location
    tags: allTags
    identity: {
      resourceId: identity.id
      clientId: identity.properties.clientId
    }
    instanceMemoryMB: functionAppInstanceMemoryMB
    maximumInstanceCount: functionAppMaximumInstanceCount
    storageAccountName: names.storageAccount
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    attachmentsBlobServiceUri: storage.outputs.blobEndpoint
    attachmentsContainerName: attachmentsContainerName
    taskHubName: taskHubName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultUri: keyVault.outputs.uri
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusTopicName: serviceBusTopicName
    mail: {
      sendGridBaseUrl: mailSendGridBaseUrl
      fromAddress: mailFromAddress
      fromName: mailFromName
      messageIdDomain: mailMessageIdDomain
      replyToAddress: mailReplyToAddress
    }
    conversation: {
      reopenWindow: conversationReopenWindow
      chatReplyUrl: conversationChatReplyUrl
      consolePublicBaseUrl: consolePublicBaseUrl
    }
    sla: {
      defaultWindow: slaDefaultWindow
      businessCalendarEnabled: slaBusinessCalendarEnabled
      businessCalendarTimeZone: slaBusinessCalendarTimeZone
      windows: slaWindows
      workdayStart: slaWorkday.start
      workdayEnd: slaWorkday.end
      workingDays: slaWorkingDays
      holidays: slaHolidays
    }
    escalations: {
      acknowledgementWindow: escalationAcknowledgementWindow
      reminderInterval: escalationReminderInterval
      coordinatorsAddress: escalationCoordinatorsAddress
    }
    reporting: {
      requesterFlagShare: reportingRequesterFlagShare
      requesterFlagMinimum: reportingRequesterFlagMinimum
      atRiskWarnings: reportingAtRiskWarnings
      maxPeriodDays: reportingMaxPeriodDays
    }
    digest: {
      day: digestDay
      hour: digestHour
    }
    intake: {
      maxSpamScore: intakeMaxSpamScore
      minTranscriptConfidence: intakeMinTranscriptConfidence
      signatureTolerance: intakeSignatureTolerance
      maxAttachmentBytes: intakeMaxAttachmentBytes
      maxEmailBytes: intakeMaxEmailBytes
    }
    auth: {
      clientId: authClientId
      tenantId: authTenantId
    }
    appSubnetId: enablePrivateNetworking ? network!.outputs.appSubnetId : null
    workspaceId: monitoring.outputs.workspaceId
    diagnosticSettings: functionAppDiagnosticSettings
  }
  // The app should start with its permissions in place and, with private networking, its endpoints resolvable.
  dependsOn: [
    roleAssignments
    endpoints
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts-${resourceToken}'
  params: {
    nameSuffix: resourceToken
    location: location
    tags: allTags
    appInsightsId: monitoring.outputs.appInsightsId
    emailAddress: alertEmailAddress
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs (azd stores them in the environment)
// ---------------------------------------------------------------------------------------------------------------

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName

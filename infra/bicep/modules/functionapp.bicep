// The function app on the Flex Consumption plan (FC1), its app settings and App Service authentication.
//
// Every dependency is reached with the one user-assigned identity (identity-based connections); secrets are Key
// Vault references, resolved by the platform with the same identity. Functions.Tests/Infra/BicepDriftTests.cs
// compares the app settings below with the configuration the app reads (local.settings.sample.json).

import {
  authSettingsType
  conversationSettingsType
  digestSettingsType
  escalationSettingsType
  identityType
  intakeSettingsType
  mailSettingsType
  reportingSettingsType
  slaSettingsType
  tagsType
} from 'types.bicep'

@description('App Service plan name.')
param planName string

@description('Function app name (also its host name: <name>.azurewebsites.net).')
param name string

@description('Azure region.')
param location string

@description('Resource tags (the app also gets azd-service-name).')
param tags tagsType

@description('The user-assigned managed identity.')
param identity identityType

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper limit of instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Storage account for AzureWebJobsStorage and the Durable Functions task hub.')
param storageAccountName string

@description('URL of the blob container holding the deployment package.')
param deploymentContainerUrl string

@description('Durable Functions task hub name (alphanumeric).')
param taskHubName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Blob service endpoint of the storage account holding the attachments container.')
param attachmentsBlobServiceUri string

@description('Blob container for e-mail attachments and quarantined e-mails.')
param attachmentsContainerName string

@description('Key Vault URI (https://<name>.vault.azure.net/).')
param keyVaultUri string

@description('Cosmos DB account endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database name.')
param cosmosDatabaseName string

@description('Service Bus namespace host name.')
param serviceBusNamespace string

@description('Service Bus topic the app publishes to.')
param serviceBusTopicName string

@description('Outgoing e-mail settings.')
param mail mailSettingsType

@description('SLA settings.')
param sla slaSettingsType

@description('Manager escalation settings.')
param escalations escalationSettingsType

@description('The reports and the SLA at-risk warning.')
param reporting reportingSettingsType

@description('Weekly digest schedule.')
param digest digestSettingsType

@description('Intake webhook tunables.')
param intake intakeSettingsType

@description('The conversation with the requester (reopen window, outbound chat webhook) and the console links in e-mails.')
param conversation conversationSettingsType

@description('Microsoft Entra ID app registration for App Service authentication.')
param auth authSettingsType

@description('Subnet for outbound virtual network integration; null without private networking.')
param appSubnetId string?

@description('Log Analytics workspace receiving the diagnostic logs.')
param workspaceId string

@description('Whether to create a diagnostic setting on the function app (see infra/README.md).')
param diagnosticSettings bool

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.resourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // The webhooks (/api/intake/*) are called from the internet, so inbound stays public even with private
    // networking; outbound traffic goes through the integration subnet.
    publicNetworkAccess: 'Enabled'
    virtualNetworkSubnetId: appSubnetId
    // Key Vault references are resolved with the user-assigned identity (the default would be a system identity).
    keyVaultReferenceIdentity: identity.resourceId
    siteConfig: {
      minTlsVersion: '1.2'
      // On Flex Consumption FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not app settings: the
      // runtime is declared in functionAppConfig. Local-only settings (keys, connection strings,
      // Auth__AllowDevelopmentIdentity, Cosmos__EnsureCreated ...) are deliberately absent.
      appSettings: [
        // Host storage and the Durable Functions task hub (blobs, queues, tables) through the identity.
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.clientId }
        { name: 'DurableTaskHubName', value: taskHubName }
        // DefaultAzureCredential (Cosmos DB, Service Bus) picks the user-assigned identity by this client id.
        { name: 'AZURE_CLIENT_ID', value: identity.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.clientId};Authorization=AAD' }
        { name: 'Cosmos__AccountEndpoint', value: cosmosEndpoint }
        { name: 'Cosmos__DatabaseName', value: cosmosDatabaseName }
        { name: 'ServiceBus__FullyQualifiedNamespace', value: serviceBusNamespace }
        { name: 'ServiceBus__TopicName', value: serviceBusTopicName }
        { name: 'Mail__SendGridBaseUrl', value: mail.sendGridBaseUrl }
        {
          name: 'Mail__SendGridApiKey'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/sendgrid-api-key/)'
        }
        { name: 'Mail__FromAddress', value: mail.fromAddress }
        { name: 'Mail__FromName', value: mail.fromName }
        { name: 'Mail__MessageIdDomain', value: mail.messageIdDomain }
        { name: 'Mail__ReplyToAddress', value: mail.replyToAddress }
        { name: 'Conversation__ReopenWindow', value: conversation.reopenWindow }
        { name: 'Conversation__ChatReplyUrl', value: conversation.chatReplyUrl }
        {
          name: 'Conversation__ChatReplySigningSecret'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/chat-reply-signing-secret/)'
        }
        { name: 'Console__PublicBaseUrl', value: conversation.consolePublicBaseUrl }
        { name: 'Sla__DefaultWindow', value: sla.defaultWindow }
        { name: 'Sla__BusinessCalendar__Enabled', value: sla.businessCalendarEnabled ? 'true' : 'false' }
        { name: 'Sla__BusinessCalendar__TimeZone', value: sla.businessCalendarTimeZone }
        { name: 'Sla__Windows__Low', value: sla.windows.Low }
        { name: 'Sla__Windows__Normal', value: sla.windows.Normal }
        { name: 'Sla__Windows__High', value: sla.windows.High }
        { name: 'Sla__Windows__Critical', value: sla.windows.Critical }
        { name: 'Sla__BusinessCalendar__WorkdayStart', value: sla.workdayStart }
        { name: 'Sla__BusinessCalendar__WorkdayEnd', value: sla.workdayEnd }
        { name: 'Sla__BusinessCalendar__WorkingDays', value: sla.workingDays }
        { name: 'Sla__BusinessCalendar__Holidays', value: sla.holidays }
        { name: 'Escalations__AcknowledgementWindow', value: escalations.acknowledgementWindow }
        { name: 'Escalations__ReminderInterval', value: escalations.reminderInterval }
        { name: 'Escalations__CoordinatorsAddress', value: escalations.coordinatorsAddress }
        { name: 'Reporting__RequesterFlagShare', value: reporting.requesterFlagShare }
        { name: 'Reporting__RequesterFlagMinimum', value: string(reporting.requesterFlagMinimum) }
        { name: 'Reporting__AtRiskWarnings', value: string(reporting.atRiskWarnings) }
        { name: 'Reporting__MaxPeriodDays', value: string(reporting.maxPeriodDays) }
        { name: 'Reporting__DigestDay', value: digest.day }
        { name: 'Reporting__DigestHour', value: string(digest.hour) }
        // E-mail attachments and quarantined e-mails, through the identity (Blob Data Contributor on that container).
        { name: 'Attachments__BlobServiceUri', value: attachmentsBlobServiceUri }
        { name: 'Attachments__ContainerName', value: attachmentsContainerName }
        { name: 'Intake__MaxSpamScore', value: intake.maxSpamScore }
        { name: 'Intake__MinTranscriptConfidence', value: intake.minTranscriptConfidence }
        { name: 'Intake__SignatureTolerance', value: intake.signatureTolerance }
        { name: 'Intake__MaxAttachmentBytes', value: string(intake.maxAttachmentBytes) }
        { name: 'Intake__MaxEmailBytes', value: string(intake.maxEmailBytes) }
        // Shared secrets of the webhooks, which authenticate by signature or secret instead of Entra ID.
        {
          name: 'Intake__EmailWebhookSecret'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/email-webhook-secret/)'
        }
        {
          name: 'Intake__ChatSigningSecret'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/chat-signing-secret/)'
        }
        {
          name: 'Intake__VoicemailSigningSecret'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/voicemail-signing-secret/)'
        }
        // Client secret of the Entra app registration, read by App Service authentication (authsettingsV2).
        {
          name: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/auth-client-secret/)'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.resourceId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// App Service authentication with Microsoft Entra ID. It does not require authentication at the platform level:
// the webhooks (/api/intake/*) authenticate by their own signature or secret and /api/health is public. The
// platform still validates tokens and sessions when present, strips any X-MS-CLIENT-PRINCIPAL header a caller
// sends and sets it for authenticated callers; the app answers 401 on people's endpoints without it and checks
// the app roles agent, manager, coordinator and admin itself.
resource authSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: auth.clientId
          clientSecretSettingName: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
          openIdIssuer: '${environment().authentication.loginEndpoint}${auth.tenantId}/v2.0'
        }
        validation: {
          // Tokens for the API (api://<client id>) and for the app itself (browser sign-in).
          allowedAudiences: [
            'api://${auth.clientId}'
            auth.clientId
          ]
        }
      }
    }
    login: {
      // The app reads the principal from X-MS-CLIENT-PRINCIPAL only; it never needs the provider's tokens.
      tokenStore: {
        enabled: false
      }
    }
  }
}

// No publishing with basic (user name and password) credentials: deployments authenticate with Entra ID.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (diagnosticSettings) {
  name: 'to-log-analytics'
  scope: app
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

output id string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName

// Production: private networking (Service Bus Premium), autoscale Cosmos DB, zone-redundant storage,
// business-hours SLA.
//   az deployment group create -g <resource-group> -f infra/bicep/main.bicep -p infra/bicep/main.prod.bicepparam
using './main.bicep'

param environmentName = 'prod'

param functionAppInstanceMemoryMB = 2048
param functionAppMaximumInstanceCount = 100

param enablePrivateNetworking = true
param vnetAddressPrefix = '10.20.0.0/16'
param storageSkuName = 'Standard_ZRS'

param cosmosThroughputMode = 'autoscale'
param cosmosAutoscaleMaxThroughput = 1000

param logAnalyticsRetentionInDays = 90

param mailFromAddress = 'servicedesk@example.edu'
param mailFromName = 'IT Service Desk'
param mailMessageIdDomain = 'escalation.example.edu'

param slaDefaultWindow = '2.00:00:00'
param slaBusinessCalendarEnabled = true
param slaBusinessCalendarTimeZone = 'America/New_York'
param slaHolidays = '2026-12-25,2027-01-01'
param slaWindows = {
  Low: ''
  Normal: ''
  High: '1.00:00:00'
  Critical: '04:00:00'
}

// Replace with the application (client) id of the production Entra app registration (infra/README.md).
param authClientId = '00000000-0000-0000-0000-000000000000'

param alertEmailAddress = 'servicedesk-ops@example.edu'

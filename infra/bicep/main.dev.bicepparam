// Development environment: public endpoints (identity-only access), serverless Cosmos DB, Standard Service Bus.
//   az deployment group create -g <resource-group> -f infra/bicep/main.bicep -p infra/bicep/main.dev.bicepparam
using './main.bicep'

param environmentName = 'dev'

param functionAppInstanceMemoryMB = 2048
param functionAppMaximumInstanceCount = 40

param enablePrivateNetworking = false
param cosmosThroughputMode = 'serverless'

param mailFromAddress = 'servicedesk-dev@example.edu'
param mailFromName = 'IT Service Desk (dev)'
param mailMessageIdDomain = 'escalation-dev.example.edu'

// Short enough to watch an escalation happen while testing.
param slaDefaultWindow = '00:30:00'
param slaBusinessCalendarEnabled = false
param slaBusinessCalendarTimeZone = 'UTC'
param escalationAcknowledgementWindow = '00:10:00'
param escalationReminderInterval = '01:00:00'

// Replace with the application (client) id of the environment's Entra app registration (infra/README.md).
param authClientId = '00000000-0000-0000-0000-000000000000'

param alertEmailAddress = 'servicedesk-ops@example.edu'

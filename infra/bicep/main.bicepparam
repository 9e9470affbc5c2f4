// Parameters for `azd up` / `azd provision`: values come from the azd environment (.azure/<env>/.env), which
// azd fills with AZURE_ENV_NAME, AZURE_LOCATION and AZURE_PRINCIPAL_ID. Set the others with `azd env set`:
//   azd env set AUTH_CLIENT_ID <client id of the Entra app registration>
//   azd env set ALERT_EMAIL_ADDRESS ops@example.edu
//   azd env set MAIL_FROM_ADDRESS servicedesk@example.edu
//   azd env set MAIL_MESSAGE_ID_DOMAIN escalation.example.edu
//   azd env set ENABLE_PRIVATE_NETWORKING true        (optional)
// The defaults below only let the file compile without an azd environment (infra/validate.sh).
using './main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'eastus')

param authClientId = readEnvironmentVariable('AUTH_CLIENT_ID', '00000000-0000-0000-0000-000000000000')
param alertEmailAddress = readEnvironmentVariable('ALERT_EMAIL_ADDRESS', 'servicedesk-ops@example.edu')

param mailFromAddress = readEnvironmentVariable('MAIL_FROM_ADDRESS', 'servicedesk@example.edu')
param mailMessageIdDomain = readEnvironmentVariable('MAIL_MESSAGE_ID_DOMAIN', 'escalation.example.edu')

param enablePrivateNetworking = bool(readEnvironmentVariable('ENABLE_PRIVATE_NETWORKING', 'false'))

// The signed-in user who runs azd may set the Key Vault secrets afterwards.
param opsPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param opsPrincipalType = 'User'

// Shared user-defined types, imported by main.bicep and the modules (compile-time only).

@export()
@description('Resource tags: names to string values.')
type tagsType = {
  *: string
}

@export()
@description('The user-assigned managed identity the function app uses for every dependency.')
type identityType = {
  @description('Resource id (functionAppConfig deployment storage, Key Vault references).')
  resourceId: string

  @description('Client id (AZURE_CLIENT_ID, AzureWebJobsStorage__clientId, Application Insights authentication).')
  clientId: string
}

@export()
@description('Outgoing e-mail (app configuration section "Mail").')
type mailSettingsType = {
  @description('SendGrid API base URL.')
  sendGridBaseUrl: string

  @description('Sender address of every e-mail.')
  fromAddress: string

  @description('Sender display name.')
  fromName: string

  @description('Domain part of the Message-IDs the app generates (replies are threaded back by them).')
  messageIdDomain: string

  @description('Reply-To of the desk\'s replies and resolutions: the Inbound Parse address, so answers come back to their ticket; empty = fromAddress.')
  replyToAddress: string
}

@export()
@description('The conversation with the requester and the console links in e-mails (app configuration sections "Conversation" and "Console").')
type conversationSettingsType = {
  @description('A requester\'s reply within this long after the resolution reopens the ticket, as a .NET TimeSpan, e.g. 7.00:00:00.')
  reopenWindow: string

  @description('The chat platform\'s outbound webhook that posts the desk\'s replies into the conversation; empty = replies to chat tickets go by e-mail.')
  chatReplyUrl: string

  @description('Public root of the app for the links in e-mails, e.g. https://desk.example.edu; empty = https://{WEBSITE_HOSTNAME}.')
  consolePublicBaseUrl: string
}

@export()
@description('First-response windows (app configuration section "Sla").')
type slaSettingsType = {
  @description('Default first-response window as a .NET TimeSpan, e.g. 2.00:00:00.')
  defaultWindow: string

  @description('Whether SLA windows count working time only.')
  businessCalendarEnabled: bool

  @description('IANA time zone of the business calendar, e.g. America/New_York.')
  businessCalendarTimeZone: string

  @description('First-response window per priority as .NET TimeSpans; empty means the default window.')
  windows: {
    Low: string
    Normal: string
    High: string
    Critical: string
  }

  @description('Start of the working day, HH:mm.')
  workdayStart: string

  @description('End of the working day, HH:mm.')
  workdayEnd: string

  @description('Comma-separated working days, e.g. Monday,Tuesday,Wednesday,Thursday,Friday.')
  workingDays: string

  @description('Comma-separated holidays as yyyy-MM-dd; may be empty.')
  holidays: string
}

@export()
@description('Manager escalations and the coordinator workflow (app configuration section "Escalations").')
type escalationSettingsType = {
  @description('How long the assigned coordinator has to acknowledge, as a .NET TimeSpan, e.g. 04:00:00 (working time when the business calendar is enabled).')
  acknowledgementWindow: string

  @description('How often the coordinator is reminded of open checklist steps, as a .NET TimeSpan, e.g. 1.00:00:00.')
  reminderInterval: string

  @description('The coordinators\' e-mail address on the Inbound Parse domain: mail to it is an escalation request; empty = off.')
  coordinatorsAddress: string
}

@export()
@description('The reports and the SLA at-risk warning (app configuration section "Reporting").')
type reportingSettingsType = {
  @description('Share of their unit\'s tickets at which a requester\'s escalations are flagged, 0-1, e.g. 0.25.')
  requesterFlagShare: string

  @description('Fewest escalation requests in the period for a requester to be flagged, e.g. 3.')
  requesterFlagMinimum: int

  @description('E-mail the assigned agent and team lead once when a ticket passes 75 % of its window without a response.')
  atRiskWarnings: bool

  @description('The longest period one report may cover, in days (a report reads one document per day), e.g. 400.')
  maxPeriodDays: int
}

@export()
@description('When the weekly digest goes to the ITS managers and area leads (app configuration section "Reporting").')
type digestSettingsType = {
  @description('Day of the week, in the business calendar\'s time zone.')
  day: 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday'

  @description('Local hour (0-23) from which that day\'s digest is sent.')
  @minValue(0)
  @maxValue(23)
  hour: int
}

@export()
@description('Tunables of the intake webhooks (app configuration section "Intake"; the secrets are Key Vault references).')
type intakeSettingsType = {
  @description('SpamAssassin score above which an e-mail is quarantined instead of ticketed, e.g. 5.0.')
  maxSpamScore: string

  @description('Voicemail transcripts below this confidence (0-1) are flagged for a person to listen to, e.g. 0.6.')
  minTranscriptConfidence: string

  @description('How far a signed webhook request\'s timestamp may be from now, as a .NET TimeSpan, e.g. 00:05:00.')
  signatureTolerance: string

  @description('Largest e-mail attachment kept in blob storage, in bytes.')
  maxAttachmentBytes: int

  @description('Largest inbound e-mail accepted, in bytes.')
  maxEmailBytes: int
}

@export()
@description('Microsoft Entra ID app registration used by App Service authentication.')
type authSettingsType = {
  @description('Application (client) id of the app registration.')
  clientId: string

  @description('Directory (tenant) id of the app registration.')
  tenantId: string
}

// One private endpoint for one sub-resource (group) of a service, registered in its private DNS zone.

import { tagsType } from 'types.bicep'

@description('Private endpoint name.')
param name string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags tagsType

@description('Subnet the endpoint gets its private IP address from.')
param subnetId string

@description('Resource id of the service the endpoint connects to.')
param targetResourceId string

@description('Sub-resource (group id): blob, queue, table, Sql, namespace, vault.')
param groupId string

@description('Private DNS zone the endpoint\'s A record is written to.')
param privateDnsZoneId string

resource endpoint 'Microsoft.Network/privateEndpoints@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: targetResourceId
          groupIds: [groupId]
        }
      }
    ]
  }
}

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2025-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: replace(last(split(privateDnsZoneId, '/')), '.', '-')
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

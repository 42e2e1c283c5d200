import type { ExtrasService } from '../../services/extras.service.js'
import type { FullHistoryConfig } from '../../services/sync.service.js'

/** Calls, status posts, business, devices and sync: domain objects → DIGIGO's wire shapes. */

type Posted = { id: string; timestamp: number; recipients: number }
type ResolvedLink = Awaited<ReturnType<ExtrasService['resolveBusinessLink']>>
type Bot = Awaited<ReturnType<ExtrasService['bots']>>[number]
type BotProfile = Awaited<ReturnType<ExtrasService['botProfiles']>>[number]
type UserDevices = Awaited<ReturnType<ExtrasService['userDevices']>>
type LinkedDevice = Awaited<ReturnType<ExtrasService['linkedDevices']>>[number]
type SyncResult = Awaited<ReturnType<ExtrasService['syncAppState']>>[number]

const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

/** A posted status of `type` (text_status, image_status…). */
export const toPostedStatus = (type: string, r: Posted) => ({
  message_id: r.id,
  timestamp: iso(r.timestamp),
  status: 'sent' as const,
  type,
  recipients: r.recipients,
})

export const toResolvedLink = (link: string, r: ResolvedLink) => ({
  success: true,
  business_link: link,
  business_jid: r.jid,
  business_name: r.verifiedName || r.pushName,
  verified: r.signed,
  category: r.business?.category ?? '',
  description: r.business?.description ?? '',
  website: r.business?.website[0] ?? '',
  email: r.business?.email ?? '',
  address: r.business?.address ?? '',
  push_name: r.pushName,
  message: r.message,
})

export const toBot = (b: Bot) => ({
  jid: b.jid,
  name: b.name,
  description: b.description,
  verified: true,
  persona_id: b.personaId,
})

export const toBotProfile = (p: BotProfile) => ({
  jid: p.jid,
  name: p.name,
  description: p.description,
  verified: true,
  avatar_url: '',
  capabilities: p.attributes
    ? p.attributes
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean)
    : [],
  commands: p.commands.map((c) => ({ command: c.name, description: c.description })),
  category: p.category,
  persona_id: p.personaId,
  prompts: p.prompts,
})

export const toUserDevicesAnswer = (list: UserDevices) => ({
  success: true,
  devices: list.map((u) => ({
    jid: u.jid,
    devices: u.devices.map((d) => ({ device_id: d.deviceId, platform: d.platform })),
  })),
  total_users: list.length,
  total_devices: list.reduce((n, u) => n + u.devices.length, 0),
})

export const toLinkedDevice = (d: LinkedDevice) => ({
  device_id: d.deviceId,
  platform: d.platform,
  connected: d.connected,
})

export const toSyncResult = (r: SyncResult) => ({
  name: r.name,
  success: r.success,
  ...(r.error ? { error: r.error } : {}),
  duration: `${(r.durationMs / 1000).toFixed(3)}s`,
  recovery_requested: false,
})

export const toFullHistoryConfig = (config: FullHistoryConfig) => ({
  days_limit: config.daysLimit,
  size_mb_limit: config.sizeMbLimit,
  include_groups: config.includeGroups,
  include_calls: config.includeCalls,
})

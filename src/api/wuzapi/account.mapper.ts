import type { AccountService } from '../../services/account.service.js'
import type { InfoDigigo, InfoWuzapi } from './account.schemas.js'

/** The account's domain objects → the wuzapi family's wire shapes. */

type Checked = Awaited<ReturnType<AccountService['check']>>[number]
type UserInfo = Awaited<ReturnType<AccountService['info']>>[number]
type Picture = Awaited<ReturnType<AccountService['avatar']>>
type BusinessProfile = Awaited<ReturnType<AccountService['businessProfile']>>
type Blocked = Awaited<ReturnType<AccountService['blocklist']>>
type Proxy = Awaited<ReturnType<AccountService['proxyConfig']>>

export const toChecked = (c: Checked) => ({
  Query: c.query,
  IsInWhatsapp: c.exists,
  JID: c.jid,
  VerifiedName: c.verifiedName,
  LID: c.lid,
})

/** /user/info: wuzapi's `Users` and DIGIGO's `users`, both by phone JID. */
export function toUserInfos(infos: UserInfo[]) {
  const Users: Record<string, typeof InfoWuzapi.static> = {}
  const users: Record<string, typeof InfoDigigo.static> = {}
  for (const i of infos) {
    const pictureId = i.picture ? (i.picture.directPath.split('/').pop()?.split('?')[0] ?? '') : ''
    Users[i.jid] = {
      Devices: i.devices,
      PictureID: pictureId,
      Status: i.about?.text ?? '',
      VerifiedName: null,
      LID: i.lid,
      IsInWhatsapp: i.exists,
    }
    users[i.jid] = {
      jid: i.jid,
      status: i.about?.text ?? '',
      picture_id: pictureId,
      verified_name: i.verifiedName,
      business_name: '',
      lid: i.lid,
      is_business_account: i.business !== undefined,
      device_count: i.devices.length,
      first_device: i.devices[0] ?? '',
      devices: i.devices.map(deviceEntry),
    }
  }
  return { Users, users }
}

/** A device JID `user[:device]@server` → DIGIGO's device entry. */
function deviceEntry(jid: string) {
  const [address = '', server = ''] = jid.split('@')
  const [userPart = '', device = '0'] = address.split(':')
  return {
    user: userPart,
    agent: '0',
    device: 'UNKNOWN',
    server,
    ad: `${userPart}.0:${device}@${server}`,
    jid,
  }
}

export const toAvatarWuzapi = (p: Picture) => ({
  URL: p.url,
  ID: p.id,
  Type: p.type,
  DirectPath: p.directPath,
})
export const toAvatarDigigo = (p: Picture) => ({
  url: p.url,
  id: p.id,
  type: p.type,
  direct_path: p.directPath,
})

const hhmm = (minutes: number | undefined) =>
  minutes === undefined
    ? undefined
    : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

export const toBusinessProfile = (b: BusinessProfile) => ({
  jid: b.jid,
  lid: b.lid,
  email: b.email,
  address: b.address,
  description: b.description,
  categories: b.category ? [{ id: b.category, name: b.category }] : [],
  profile_options: {
    ...(b.website[0] ? { website: b.website[0] } : {}),
    ...(b.description ? { about: b.description } : {}),
  },
  business_hours_timezone: b.timezone,
  business_hours: b.hours.map((h) => ({
    day_of_week: h.day.toUpperCase(),
    mode: h.mode.toUpperCase(),
    ...(h.openTime !== undefined ? { open_time: hhmm(h.openTime) } : {}),
    ...(h.closeTime !== undefined ? { close_time: hhmm(h.closeTime) } : {}),
  })),
})

/** DIGIGO's /privacy/blocklist fields. */
export const toBlocked = (list: Blocked) => ({
  blocked_contacts: list.map((b) => b.pn || b.lid),
  blocked_lids: list.map((b) => b.lid),
  count: list.length,
})

/** Miauzap's /blocklist. */
export const toMiauzapBlocklist = (list: Blocked) => ({
  DHash: '',
  JIDs: list.map((b) => b.pn || b.lid),
  LIDs: list.map((b) => b.lid),
})

export const toProxyView = (p: Proxy) => ({
  proxy_url: p.proxyUrl,
  username: p.username,
  bypass_list: p.bypass,
  enabled: p.enabled,
})

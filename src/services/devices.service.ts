import type { UserDevice } from '../engine/extras.js'
import { PLATFORM_TYPES } from '../engine/extras.js'
import type { SessionDeps } from './deps.js'
import { AppError, validation } from './errors.js'
import { userJid } from './people.js'

/** Default wait of /device/users/context (DIGIGO names no value). */
const DEVICES_TIMEOUT_MS = 10_000

/** What the phone is (device 0); the others by whatsmeow's platform-type number, as DIGIGO reports them. */
export const platformOf = (device: number) => (device === 0 ? 'PHONE' : (PLATFORM_TYPES[device] ?? 'UNKNOWN'))

/** Devices: other users' devices, the account's linked devices, platform names. */
export class DevicesService {
  constructor(private readonly deps: SessionDeps) {}

  /** The devices of users; with `timeoutMs`, refuses with TIMEOUT when WhatsApp takes longer. */
  async userDevices(userId: string, jids: string[], timeoutMs?: number) {
    if (jids.length === 0 || jids.some((j) => !j.trim())) throw validation('user JIDs are required')
    const users = [...new Set(jids.map((j) => userJid(j, 'jids')))]
    const connection = this.deps.sessions.connection(userId)
    const lookup = connection.userDevices(users)
    const devices = timeoutMs ? await withTimeout(lookup, timeoutMs) : await lookup
    return users.map((jid) => ({
      jid,
      devices: devices
        .filter((d) => d.user === jid || this.sameUser(d, jid))
        .map((d) => ({ deviceId: d.device, platform: platformOf(d.device) })),
    }))
  }

  private sameUser(d: UserDevice, jid: string) {
    return d.user.split('@')[0] === jid.split('@')[0]
  }

  userDevicesWithin(userId: string, jids: string[]) {
    return this.userDevices(userId, jids, DEVICES_TIMEOUT_MS)
  }

  async linkedDevices(userId: string) {
    const connection = this.deps.sessions.connection(userId)
    const own = connection.ownDevice()
    return (await connection.ownDevices()).map((d) => ({
      deviceId: d.device,
      platform: platformOf(d.device),
      connected: d.device === own,
    }))
  }

  devicePlatform(device: number) {
    if (!Number.isInteger(device) || device < 0) throw validation('device ID is required')
    return platformOf(device)
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('TIMEOUT', 'request timeout while retrieving devices')), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

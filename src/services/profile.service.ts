import type { EngineConnection } from '../engine/port.js'
import type { SessionDeps } from './deps.js'
import { AppError, validation } from './errors.js'
import { personOf } from './people.js'
import { refusals } from './refusals.js'

/** WhatsApp's longest "about" text. */
const ABOUT_MAX = 139

/** The account's own profile (push name, about, photo), its presence and its address book. */
export class ProfileService {
  constructor(private readonly deps: SessionDeps) {}

  private connection(userId: string): EngineConnection {
    return this.deps.sessions.connection(userId)
  }

  async setPushName(userId: string, name: string) {
    const value = name.trim()
    if (!value) throw validation('push name cannot be empty')
    await refusals(() => this.connection(userId).setPushName(value))
    return value
  }

  /** The account's own "about" text. */
  async ownAbout(userId: string): Promise<string> {
    const { jid } = this.deps.sessions.account(userId)
    const connection = this.connection(userId)
    const about = await refusals(() => connection.about(jid.replace(/:\d+@/, '@')))
    return about?.text ?? ''
  }

  async setAbout(userId: string, text: string) {
    if (text.length > ABOUT_MAX) throw validation(`status must be at most ${ABOUT_MAX} characters`)
    await refusals(() => this.connection(userId).setAbout(text))
    return text
  }

  /** Sets the profile photo from a JPEG (data URL, base64 or http(s) URL); answers its id. */
  async setPhoto(userId: string, image: string): Promise<string> {
    const connection = this.connection(userId)
    const { data, mimetype } = await this.deps.media.resolve(image, 'image')
    if (mimetype !== 'image/jpeg')
      throw validation('image must be in JPEG format. WhatsApp only accepts JPEG images for profile photos')
    return refusals(() => connection.setProfilePicture(data))
  }

  async removePhoto(userId: string) {
    await refusals(() => this.connection(userId).removeProfilePicture())
  }

  async saveContact(userId: string, phone: string, fullName: string) {
    const name = fullName.trim()
    if (!name) throw validation('full name cannot be empty')
    const { pn } = await this.phoneOnly(userId, phone)
    await refusals(() => this.connection(userId).saveContact(pn, name), 'APP_STATE_NOT_READY')
    return { phone: pn.split('@')[0]!, jid: pn, fullName: name }
  }

  async removeContact(userId: string, phone: string) {
    const { pn } = await this.phoneOnly(userId, phone)
    await refusals(() => this.connection(userId).removeContact(pn), 'APP_STATE_NOT_READY')
    return { phone: pn.split('@')[0]!, jid: pn }
  }

  private async phoneOnly(userId: string, input: string) {
    if (!input.trim()) throw validation('phone number cannot be empty')
    const p = await personOf(this.deps, userId, input)
    if (!p.pn) throw new AppError('IDENTITY_UNKNOWN', `no phone number known for ${p.lid}`)
    return p
  }

  async setPresence(userId: string, type: string, to: string | undefined) {
    const t = type.trim().toLowerCase()
    const connection = this.connection(userId)
    if (t === 'subscribe') {
      if (!to?.trim()) throw validation('phone is required to subscribe to a presence')
      const p = await personOf(this.deps, userId, to)
      await connection.subscribePresence(p.lid || p.pn)
      return { type: t, jid: p.pn || p.lid }
    }
    if (t !== 'available' && t !== 'unavailable')
      throw validation("Invalid presence type. Allowed values: 'available', 'unavailable', 'subscribe'")
    await refusals(() => connection.setPresence(t), 'SESSION_NOT_READY')
    return { type: t, jid: '' }
  }

  async presenceConfig(userId: string, enabled?: boolean): Promise<boolean> {
    if (enabled === undefined) return (await this.deps.users.get(userId)).settings.autoPresenceUnavailable
    const user = await this.deps.users.update(userId, { autoPresenceUnavailable: enabled }, 'user')
    return user.settings.autoPresenceUnavailable
  }
}

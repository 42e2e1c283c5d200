import { randomBytes } from 'node:crypto'
import { type Cipher, tokenHash } from '../crypto/cipher.js'
import { parseSubscription } from '../events/catalogue.js'
import { WEBHOOK_FORMATS } from '../events/sinks/webhook.sink.js'
import { joinCredentials, splitCredentials } from '../lib/url-credentials.js'
import { urlProblem } from '../lib/url-guard.js'
import type { UsersRepository } from '../store/users.repository.js'
import type { UserRow } from '../store/users.table.js'
import { AppError, validation } from './errors.js'
import {
  defaultSecrets,
  defaultSettings,
  type User,
  type UserInput,
  type UserSecrets,
  type UserSettings,
} from './users.model.js'

const PROXY_SCHEMES = ['http', 'https', 'socks4', 'socks5', 'socks5h']
const WEBHOOK_SCHEMES = ['http', 'https']

/** Who is asking: admins may point URLs at private addresses even in multi-tenant mode. */
export type Actor = 'admin' | 'user'

export interface UsersServiceOptions {
  blockPrivateUrls: boolean
  now?: () => Date
}

/** Users (instances): creation, settings, token authentication. The one place their rules live. */
export class UsersService {
  private readonly now: () => Date
  /** Told (and awaited) after a user was created, changed or deleted: sinks follow webhooks. */
  private readonly watchers: ((userId: string) => Promise<void>)[] = []

  constructor(
    private readonly repo: UsersRepository,
    private readonly cipher: Cipher,
    private readonly options: UsersServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date())
  }

  onChange(watcher: (userId: string) => Promise<void>): void {
    this.watchers.push(watcher)
  }

  private async changed(userId: string): Promise<void> {
    for (const watcher of this.watchers) await watcher(userId)
  }

  async list(): Promise<User[]> {
    return (await this.repo.list()).map((row) => this.toUser(row))
  }

  /** By 32-hex id or by Miauzap's integer id. */
  async get(idOrSerial: string): Promise<User> {
    const row = /^\d{1,15}$/.test(idOrSerial)
      ? await this.repo.findBySerial(Number(idOrSerial))
      : await this.repo.findById(idOrSerial)
    if (!row) throw new AppError('USER_NOT_FOUND', 'user not found')
    return this.toUser(row)
  }

  async create(input: UserInput, actor: Actor = 'admin'): Promise<User> {
    const name = requireName(input.name ?? '')
    const token = requireToken(input.token ?? randomBytes(16).toString('hex'))
    const settings = this.applySettings(defaultSettings(), input, actor)
    const secrets = this.applySecrets(defaultSecrets(), input, actor)
    const stored = storedForm(settings, secrets)
    const stamp = this.now().toISOString()
    try {
      const row = await this.repo.insert({
        id: randomBytes(16).toString('hex'),
        name,
        token_hash: tokenHash(token),
        token_enc: this.cipher.encrypt(token),
        jid: '',
        lid: '',
        instance_key: instanceKeyOf(input.instanceKey) ?? null,
        expiration: checkedWhole('expiration', input.expiration ?? 0),
        history: checkedWhole('history', input.history ?? 0),
        settings: JSON.stringify(stored.settings),
        secrets_enc: this.cipher.encryptJson(stored.secrets),
        version: 1,
        created_at: stamp,
        updated_at: stamp,
      })
      const user = this.toUser(row)
      await this.changed(user.id)
      return user
    } catch (err) {
      throw taken(err, input, 'token already in use')
    }
  }

  /** A Mega-api instance by its key (or the user's id when it has none). */
  async getByInstanceKey(key: string): Promise<User> {
    const row = await this.repo.findByInstanceKey(key)
    if (!row) throw new AppError('USER_NOT_FOUND', 'instance not found')
    return this.toUser(row)
  }

  /** Partial update: absent fields keep their value; nested configs merge key by key. */
  async update(idOrSerial: string, input: UserInput, actor: Actor = 'admin'): Promise<User> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(idOrSerial)
      const updated = await this.write(current, input, actor)
      if (updated) {
        await this.changed(updated.id)
        return updated
      }
      if (attempt >= 4) throw new AppError('CONCURRENT_UPDATE', 'user was modified by another request')
    }
  }

  /**
   * DIGIGO's `/user/update`: a user renames itself or rotates its token. Fails with a conflict
   * instead of retrying when another request changed the user since it was read.
   */
  async updateOwn(user: User, change: { name?: string; token?: string }): Promise<User> {
    const name = change.name?.trim()
    if (name !== undefined && (name.length < 1 || name.length > 255)) {
      throw validation('Name must be between 1 and 255 characters')
    }
    if (change.token !== undefined && change.token.length < 8) {
      throw validation('Token too short (min 8 characters)')
    }
    if (
      (name === undefined || name === user.name) &&
      (change.token === undefined || change.token === user.token)
    ) {
      throw new AppError('NO_CHANGES', 'No changes detected')
    }
    const updated = await this.write(user, { name, token: change.token }, 'user')
    if (!updated) {
      throw new AppError('CONCURRENT_UPDATE', 'Profile was modified by another request. Please try again')
    }
    return updated
  }

  async delete(idOrSerial: string): Promise<User> {
    const user = await this.get(idOrSerial)
    await this.repo.delete(user.id)
    await this.changed(user.id)
    return user
  }

  setIdentity(id: string, jid: string, lid: string): Promise<void> {
    return this.repo.setIdentity(id, jid, lid)
  }

  /** The user a token belongs to; refuses unknown tokens and expired users. */
  async authenticate(token: string): Promise<User> {
    const row = token ? await this.repo.findByTokenHash(tokenHash(token)) : undefined
    if (!row) throw new AppError('UNAUTHORIZED', 'unauthorized')
    const user = this.toUser(row)
    if (user.expiration > 0 && user.expiration * 1000 <= this.now().getTime()) {
      throw new AppError('USER_EXPIRED', 'user expired')
    }
    return user
  }

  /** Seconds until the user expires; 0 when it never does. */
  secondsRemaining(user: User): number {
    if (user.expiration === 0) return 0
    return Math.max(0, Math.floor(user.expiration - this.now().getTime() / 1000))
  }

  private async write(current: User, input: UserInput, actor: Actor): Promise<User | undefined> {
    const settings = this.applySettings(structuredClone(current.settings), input, actor)
    const secrets = this.applySecrets(structuredClone(current.secrets), input, actor)
    const stored = storedForm(settings, secrets)
    const token = input.token === undefined ? undefined : requireToken(input.token)
    try {
      const row = await this.repo.updateIfVersion(current.id, current.version, {
        ...(input.name !== undefined ? { name: requireName(input.name) } : {}),
        ...(input.instanceKey !== undefined
          ? { instance_key: instanceKeyOf(input.instanceKey) ?? null }
          : {}),
        ...(token !== undefined
          ? { token_hash: tokenHash(token), token_enc: this.cipher.encrypt(token) }
          : {}),
        ...(input.expiration !== undefined
          ? { expiration: checkedWhole('expiration', input.expiration) }
          : {}),
        ...(input.history !== undefined ? { history: checkedWhole('history', input.history) } : {}),
        settings: JSON.stringify(stored.settings),
        secrets_enc: this.cipher.encryptJson(stored.secrets),
        updated_at: this.now().toISOString(),
      })
      return row && this.toUser(row)
    } catch (err) {
      throw taken(err, input, 'Token already in use')
    }
  }

  private applySettings(settings: UserSettings, input: UserInput, actor: Actor): UserSettings {
    if (input.webhook !== undefined) {
      let url = input.webhook.trim()
      // A URL read back from a view (its password shown as ***) keeps the password it had.
      const given = splitCredentials(url)
      const known = splitCredentials(settings.webhook)
      if (
        given.credentials.endsWith(':***') &&
        given.credentials.split(':')[0] === known.credentials.split(':')[0]
      )
        url = joinCredentials(given.url, known.credentials)
      const problem = url === '' ? undefined : urlProblem(url, this.webhookRule(actor))
      if (problem) throw validation(`webhook ${problem}`)
      settings.webhook = url
    }
    if (input.webhookActive !== undefined) settings.webhookActive = input.webhookActive
    if (input.webhookFormat !== undefined) {
      if (!(WEBHOOK_FORMATS as readonly string[]).includes(input.webhookFormat))
        throw validation(`webhook format must be ${WEBHOOK_FORMATS.join(', ')}`)
      settings.webhookFormat = input.webhookFormat as UserSettings['webhookFormat']
    }
    if (input.events !== undefined) {
      const { events, unknown } = parseSubscription(input.events)
      if (unknown.length > 0) throw validation(`unknown event names: ${unknown.join(', ')}`)
      settings.events = events.length > 0 ? events : ['All']
    }
    const flags = [
      'skipMediaDownload',
      'skipGroups',
      'skipNewsletters',
      'skipBroadcasts',
      'skipOwnMessages',
      'skipCalls',
      'echoApiMessages',
      'autoReconnect',
      'autoPresenceUnavailable',
    ] as const
    for (const flag of flags) if (input[flag] !== undefined) settings[flag] = input[flag]
    if (input.callRejectMessage !== undefined) settings.callRejectMessage = input.callRejectMessage
    if (input.callRejectType !== undefined) {
      settings.callRejectType = input.callRejectType === 'declined' ? 'decline' : input.callRejectType
    }
    Object.assign(settings.globalTransportSkips, input.globalTransportSkips)
    Object.assign(settings.whatsappConfig, input.whatsappConfig)
    return settings
  }

  private applySecrets(secrets: UserSecrets, input: UserInput, actor: Actor): UserSecrets {
    if (input.hmacKey !== undefined) {
      if (input.hmacKey !== '' && input.hmacKey.length < 32) {
        throw validation('hmacKey must be at least 32 characters long')
      }
      secrets.hmacKey = input.hmacKey
    }
    if (input.proxyConfig) {
      const next = { ...secrets.proxy, ...input.proxyConfig }
      const problem = next.url
        ? urlProblem(next.url, { schemes: PROXY_SCHEMES, blockPrivate: false })
        : undefined
      if (problem) throw validation(`proxyConfig.proxyURL ${problem}`)
      if (next.enabled && !next.url)
        throw validation('proxyConfig.proxyURL is required when the proxy is enabled')
      secrets.proxy = next
    }
    if (input.s3Config) {
      const next = { ...secrets.s3, ...input.s3Config }
      const problem = next.endpoint ? urlProblem(next.endpoint, this.webhookRule(actor)) : undefined
      if (problem) throw validation(`s3Config.endpoint ${problem}`)
      if (next.enabled && !next.bucket.trim())
        throw validation('s3Config.bucket is required when S3 is enabled')
      if (next.public_url && urlProblem(next.public_url, { schemes: WEBHOOK_SCHEMES, blockPrivate: false }))
        throw validation('s3Config.public_url must be an http(s) URL')
      secrets.s3 = next
    }
    if (input.rabbitmqConfig) {
      const next = { ...secrets.rabbitmq, ...input.rabbitmqConfig }
      const problem = next.url
        ? urlProblem(next.url, { schemes: ['amqp', 'amqps'], blockPrivate: false })
        : undefined
      if (problem) throw validation(`rabbitmqConfig.url ${problem}`)
      secrets.rabbitmq = next
    }
    return secrets
  }

  private webhookRule(actor: Actor) {
    return { schemes: WEBHOOK_SCHEMES, blockPrivate: actor === 'user' && this.options.blockPrivateUrls }
  }

  /** Row → domain: decrypts secrets, parses JSON, evens out driver differences. */
  private toUser(row: UserRow): User {
    const user: User = {
      id: row.id,
      serial: Number(row.serial),
      name: row.name,
      token: this.cipher.decrypt(row.token_enc),
      jid: row.jid,
      lid: row.lid,
      instanceKey: row.instance_key ?? '',
      expiration: Number(row.expiration),
      history: Number(row.history),
      version: Number(row.version),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      settings: { ...defaultSettings(), ...(JSON.parse(row.settings) as Partial<UserSettings>) },
      secrets: { ...defaultSecrets(), ...this.cipher.decryptJson<Partial<UserSecrets>>(row.secrets_enc) },
    }
    user.settings.webhook = joinCredentials(user.settings.webhook, user.secrets.webhookCredentials)
    return user
  }
}

/** What is written: the webhook URL's credentials move from the settings to the secrets. */
function storedForm(settings: UserSettings, secrets: UserSecrets) {
  const { url, credentials } = splitCredentials(settings.webhook)
  return { settings: { ...settings, webhook: url }, secrets: { ...secrets, webhookCredentials: credentials } }
}

/** A checked instance key: undefined = absent, null = cleared. */
function instanceKeyOf(key: string | undefined): string | null | undefined {
  if (key === undefined) return undefined
  const trimmed = key.trim()
  if (trimmed === '') return null
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(trimmed))
    throw validation('instanceKey must be 1 to 100 letters, digits, dots, dashes or underscores')
  return trimmed
}

/** A unique-constraint violation, named by what the input tried to take. */
function taken(err: unknown, input: UserInput, tokenMessage: string): unknown {
  if (!uniqueViolation(err)) return err
  const detail = String((err as { detail?: string; message?: string }).detail ?? (err as Error).message)
  if (input.instanceKey && /instance_key/.test(detail))
    return new AppError('TOKEN_TAKEN', 'instanceKey already in use')
  return new AppError('TOKEN_TAKEN', tokenMessage)
}

function requireName(name: string): string {
  if (!name.trim()) throw validation('name is required')
  return name.trim()
}

function requireToken(token: string): string {
  if (token.trim() === '') throw validation('token must not be empty')
  return token
}

function checkedWhole(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw validation(`${field} must be a whole number ≥ 0`)
  return value
}

/** A unique-constraint violation from SQLite or PostgreSQL. */
function uniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505'
}

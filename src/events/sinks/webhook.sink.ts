import { createHmac } from 'node:crypto'
import { Agent } from 'undici'
import { guardedLookup, urlProblem } from '../../lib/url-guard.js'
import type { ZapEvent } from '../event.js'
import { megaapiWebhookPayload } from '../formats/megaapi.js'
import { DeliveryError, type Sink } from '../sink.js'

/** How a webhook's body is written: Miauzap's JSON, the form upstream wuzapi posts, or Mega-api's. */
export type WebhookFormat = 'json' | 'wuzapi-form' | 'megaapi'
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['json', 'wuzapi-form', 'megaapi']

export interface WebhookTarget {
  id: string
  userId: string | undefined
  url: string
  format: WebhookFormat
  /** Event names, or ['All']. */
  events: string[]
  /** HMAC-SHA256 key ('' = unsigned). */
  hmacKey: string
  /** Sent as the form's `token` field (wuzapi-form). */
  user?:
    | { id: string; name: string; token?: string | undefined; instanceKey?: string | undefined }
    | undefined
  /** A global webhook names each event's user (its token only when a setting asks for it). */
  userOf?: ((userId: string) => { name: string; token?: string | undefined } | undefined) | undefined
  /** Skip filter of a global sink (the user's opt-out). */
  skip?: ((event: ZapEvent) => boolean) | undefined
  /** Refuse private addresses at connect time (multi-tenant hosting). */
  blockPrivate: boolean
}

function globalUser(event: ZapEvent, target: WebhookTarget) {
  const user = target.userId === undefined ? target.userOf?.(event.userId) : undefined
  return user ? { userName: user.name, ...(user.token ? { userToken: user.token } : {}) } : {}
}

/** The body a webhook receives for an event and its content type; undefined: not posted. */
export function webhookBody(
  event: ZapEvent,
  target: WebhookTarget,
): { body: string; contentType: string } | undefined {
  if (target.format === 'megaapi') {
    const payload = megaapiWebhookPayload(event, target.user?.instanceKey || event.userId)
    return payload && { body: JSON.stringify(payload), contentType: 'application/json' }
  }
  const common = {
    id: event.id,
    seq: event.seq,
    userId: event.userId,
    jid: event.jid,
    lid: event.lid,
    timestamp: event.at.toISOString(),
    ...globalUser(event, target),
  }
  if (target.format === 'wuzapi-form') {
    const form = new URLSearchParams()
    form.set('jsonData', JSON.stringify({ type: event.type, event: event.data, ...common }))
    if (target.user?.token) form.set('token', target.user.token)
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' }
  }
  return {
    body: JSON.stringify({ event: event.type, instance: event.jid, data: event.data, ...common }),
    contentType: 'application/json',
  }
}

/**
 * The signature headers: `x-hmac-signature` (hex HMAC-SHA256 of the raw body, as wuzapi forks
 * do), and `x-zapwire-signature: t=<unix s>,v1=<hex HMAC of "<t>.<body>">` with
 * `x-zapwire-timestamp`, which lets a receiver refuse old (replayed) calls.
 */
export function signatureHeaders(key: string, body: string, now = Date.now()): Record<string, string> {
  if (!key) return {}
  const t = Math.floor(now / 1000)
  const hmac = (data: string) => createHmac('sha256', key).update(data).digest('hex')
  return {
    'x-hmac-signature': hmac(body),
    'x-zapwire-timestamp': String(t),
    'x-zapwire-signature': `t=${t},v1=${hmac(`${t}.${body}`)}`,
  }
}

/** HTTP agents shared by every webhook (one per address rule). */
export class WebhookClient {
  private readonly agents = new Map<boolean, Agent>()

  constructor(private readonly timeoutMs: number) {}

  agent(blockPrivate: boolean): Agent {
    let agent = this.agents.get(blockPrivate)
    if (!agent) {
      agent = new Agent({
        connect: { lookup: guardedLookup(blockPrivate), timeout: Math.min(this.timeoutMs, 10_000) },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connections: 64,
      })
      this.agents.set(blockPrivate, agent)
    }
    return agent
  }

  get timeout(): number {
    return this.timeoutMs
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()))
  }
}

/** Statuses worth trying again; any other 4xx goes to the DLQ at once. */
const RETRYABLE = new Set([408, 425, 429])

/** A webhook: POSTs each subscribed event, signed when the user has an HMAC key. */
export class WebhookSink implements Sink {
  readonly transport = 'webhook'
  readonly endpoint: string
  private readonly url: URL
  private readonly authorization: string | undefined
  private readonly problem: string | undefined

  constructor(
    private readonly target: WebhookTarget,
    private readonly client: WebhookClient,
  ) {
    this.url = new URL(target.url)
    this.endpoint = this.url.origin
    // Credentials in the URL (`https://user:pass@host/…`, as n8n's basic-auth webhooks want) are
    // sent as HTTP Basic authentication.
    if (this.url.username || this.url.password)
      this.authorization = `Basic ${Buffer.from(
        `${decodeURIComponent(this.url.username)}:${decodeURIComponent(this.url.password)}`,
      ).toString('base64')}`
    this.problem = urlProblem(target.url, { schemes: ['http', 'https'], blockPrivate: target.blockPrivate })
  }

  get id(): string {
    return this.target.id
  }

  get userId(): string | undefined {
    return this.target.userId
  }

  wants(event: ZapEvent): boolean {
    if (this.target.skip?.(event)) return false
    return this.target.events.includes('All') || this.target.events.includes(event.type)
  }

  async deliver(event: ZapEvent): Promise<void> {
    if (this.problem) throw new DeliveryError(`webhook URL ${this.problem}`, true)
    const made = webhookBody(event, this.target)
    // An event the format has no shape for (Mega-api's) counts as delivered.
    if (!made) return
    const { body, contentType } = made
    let status: number
    try {
      status = await post(this.client.agent(this.target.blockPrivate), this.url, body, {
        'content-type': contentType,
        'user-agent': 'Zapwire',
        'x-zapwire-event-id': event.id,
        'x-zapwire-event': event.type,
        ...(this.authorization ? { authorization: this.authorization } : {}),
        ...signatureHeaders(this.target.hmacKey, body),
      })
    } catch (err) {
      throw new DeliveryError((err as Error).message)
    }
    if (status >= 200 && status < 300) return
    throw new DeliveryError(`HTTP ${status}`, status >= 400 && status < 500 && !RETRYABLE.has(status))
  }
}

/**
 * POSTs `body` and resolves the response status. The low-level dispatch API: the receiver's
 * body is dropped as it arrives (never read beyond the status), with no stream per response.
 */
function post(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    let status = 0
    agent.dispatch(
      { origin: url.origin, path: `${url.pathname}${url.search}`, method: 'POST', headers, body },
      {
        onRequestStart: () => undefined,
        onResponseStart: (_controller, statusCode) => {
          status = statusCode
        },
        onResponseEnd: () => resolve(status),
        onResponseError: (_controller, err) => reject(err),
      },
    )
  })
}

import type { Dispatcher, SinkSource } from '../events/dispatcher.js'
import type { Outbox } from '../events/outbox.js'
import type { Sink } from '../events/sink.js'
import { type WebhookClient, type WebhookFormat, WebhookSink } from '../events/sinks/webhook.sink.js'
import { skipped } from '../events/skips.js'
import { redactUrl } from '../lib/redact.js'
import { AppError, validation } from './errors.js'
import type { User } from './users.model.js'
import type { Actor, UsersService } from './users.service.js'

export interface WebhookView {
  url: string
  events: string[]
  active: boolean
  format: WebhookFormat
}

export interface WebhookChange {
  url?: string | undefined
  events?: string | string[] | undefined
  active?: boolean | undefined
  format?: string | undefined
}

/**
 * Each user's webhook (URL, subscribed events, active flag, body format) and its HMAC key; the
 * sinks the dispatcher delivers to are built from them.
 */
export class WebhooksService implements SinkSource {
  private dispatcher: Dispatcher | undefined

  constructor(
    private readonly outbox: Outbox,
    private readonly users: UsersService,
    private readonly client: WebhookClient,
    private readonly options: { blockPrivateUrls: boolean },
  ) {}

  attach(dispatcher: Dispatcher): void {
    this.dispatcher = dispatcher
  }

  async sinks(): Promise<Sink[]> {
    return (await this.users.list())
      .filter((u) => u.settings.webhook && u.settings.webhookActive)
      .map(
        (u) =>
          new WebhookSink(
            {
              id: `webhook:${u.id}`,
              userId: u.id,
              url: u.settings.webhook,
              format: u.settings.webhookFormat,
              events: u.settings.events,
              hmacKey: u.secrets.hmacKey,
              user: { id: u.id, name: u.name, token: u.token, instanceKey: u.instanceKey || u.id },
              blockPrivate: this.options.blockPrivateUrls,
              skip: (event) => skipped(u.settings, event),
            },
            this.client,
          ),
      )
  }

  view(user: User): WebhookView {
    const s = user.settings
    return {
      url: redactUrl(s.webhook),
      events: s.events,
      active: s.webhookActive,
      format: s.webhookFormat,
    }
  }

  /** Sets (POST) or changes (PUT: only what is given) the webhook. */
  async set(user: User, change: WebhookChange, actor: Actor = 'user'): Promise<WebhookView> {
    const updated = await this.users.update(
      user.id,
      {
        ...(change.url !== undefined ? { webhook: change.url } : {}),
        ...(change.events !== undefined ? { events: change.events } : {}),
        ...(change.active !== undefined ? { webhookActive: change.active } : {}),
        ...(change.format !== undefined ? { webhookFormat: change.format } : {}),
      },
      actor,
    )
    return this.view(updated)
  }

  /** Removes the webhook and clears its events (wuzapi's DELETE). */
  async remove(user: User): Promise<void> {
    await this.users.update(user.id, { webhook: '', events: ['All'], webhookActive: true }, 'user')
  }

  /**
   * Delivers the user's events again from after `after` (a seq) or from `since` (ISO time):
   * at least once, in order per chat, as any delivery. Returns the position it starts after.
   */
  async replay(
    user: User,
    from: { after?: number | undefined; since?: string | undefined },
  ): Promise<number> {
    if (!this.dispatcher) throw new AppError('UNAVAILABLE', 'event delivery is not running')
    if (!user.settings.webhook || !user.settings.webhookActive)
      throw validation('set an active webhook first')
    const seq = from.after ?? (from.since ? await this.outbox.seqBefore(from.since) : undefined)
    if (seq === undefined) throw validation('give after (a seq) or since (a time)')
    await this.dispatcher.rewind(`webhook:${user.id}`, seq)
    return seq
  }

  /** The HMAC key webhooks are signed with ('' = none). */
  async hmacKey(user: User): Promise<string> {
    return (await this.users.get(user.id)).secrets.hmacKey
  }

  async setHmacKey(user: User, key: string): Promise<void> {
    await this.users.update(user.id, { hmacKey: key }, 'user')
  }
}

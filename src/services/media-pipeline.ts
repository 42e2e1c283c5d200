import type { Logger } from 'pino'
import type { MediaInfo } from '../engine/messages.js'
import type { DownloadKind } from '../engine/port.js'
import type { ZapEvent } from '../events/event.js'
import { DeliveryError } from '../events/sink.js'
import { urlProblem } from '../lib/url-guard.js'
import { AppError } from './errors.js'
import type { MessagesService } from './messages.service.js'
import { type BucketConfig, ObjectStore } from './object-store.js'
import type { TransportsService } from './transports.service.js'
import type { S3Config, User } from './users.model.js'
import type { UsersService } from './users.service.js'

export type MediaDelivery = 'base64' | 's3' | 'both'

/** What a `Message` event with media gains before it leaves: the file inline, a link, or why not. */
export interface MediaFields {
  base64?: string
  mimeType?: string
  fileName?: string
  s3?: { url: string; key: string; bucket: string; size: number; mimeType: string; fileName: string }
  mediaError?: string
}

/** Who decided that a user's media is not downloaded (DIGIGO's priority order), if anyone. */
export type SkipMediaReason = 'flag' | 'global' | 'user' | undefined

export interface MediaPipelineOptions {
  /** `zapwire serve --skipmedia`: wins over everything. */
  skipMedia: boolean
  blockPrivateUrls: boolean
  /** Files larger than this are not downloaded for events (they stay downloadable by route). */
  maxBytes: number
  log: Logger
  /** Bytes of prepared media kept for the other sinks of the same event. */
  cacheBytes?: number
}

/** A session that is not connected cannot download; its event waits this long for it. */
const WAIT_FOR_SESSION_MS = 10 * 60_000
const CACHE_MS = 5 * 60_000

/**
 * Media of received messages, on the way out: each sink's delivery of a `Message` event with a
 * file is given the file inline (base64), a link to it in S3, or both — per the user's S3
 * settings (`media_delivery`), else the shared global bucket (unless the user opted out), else
 * base64 — unless media download is skipped (CLI flag > `GLOBAL_SKIP_MEDIA_DOWNLOAD` > user).
 * The outbox keeps only the file's descriptor; the work is done once per event for all its
 * sinks, and an upload has a key of its own per message, so doing it again replaces it.
 */
export class MediaPipeline {
  private readonly stores = new Map<string, ObjectStore>()
  private readonly prepared = new Map<string, { fields: Promise<MediaFields>; at: number; bytes: number }>()
  private cachedBytes = 0

  constructor(
    private readonly users: UsersService,
    private readonly messages: MessagesService,
    private readonly transports: TransportsService,
    private readonly options: MediaPipelineOptions,
  ) {}

  skipReason(user: User): SkipMediaReason {
    if (this.options.skipMedia) return 'flag'
    if (this.transports.config.skipMediaDownload) return 'global'
    if (user.settings.skipMediaDownload) return 'user'
    return undefined
  }

  /** The event as sinks get it: unchanged unless it is a `Message` carrying a file. */
  prepare(event: ZapEvent): ZapEvent | Promise<ZapEvent> {
    if (event.type !== 'Message' || !event.data.media) return event
    return this.enrich(event)
  }

  private async enrich(event: ZapEvent): Promise<ZapEvent> {
    this.evict()
    let entry = this.prepared.get(event.id)
    if (!entry) {
      entry = { fields: this.fields(event), at: Date.now(), bytes: 0 }
      this.prepared.set(event.id, entry)
      const held = entry
      held.fields.then(
        (f) => {
          if (this.prepared.get(event.id) !== held) return
          held.bytes = (f.base64?.length ?? 0) + 512
          this.cachedBytes += held.bytes
        },
        () => {
          if (this.prepared.get(event.id) === held) this.prepared.delete(event.id)
        },
      )
    }
    const fields = await entry.fields
    return Object.keys(fields).length ? { ...event, data: { ...event.data, ...fields } } : event
  }

  private evict(): void {
    const now = Date.now()
    const budget = this.options.cacheBytes ?? 64 * 2 ** 20
    for (const [id, entry] of this.prepared) {
      if (now - entry.at < CACHE_MS && this.cachedBytes <= budget) break
      this.prepared.delete(id)
      this.cachedBytes -= entry.bytes
    }
  }

  private async fields(event: ZapEvent): Promise<MediaFields> {
    const user = await this.users.get(event.userId).catch(() => undefined)
    if (!user || this.skipReason(user)) return {}
    const media = event.data.media as MediaInfo
    const plan = this.plan(user)
    const mimeType = media.mimetype.split(';')[0]!.trim()
    const fileName = media.fileName ?? ''
    if ((media.fileLength ?? 0) > this.options.maxBytes)
      return {
        mimeType,
        fileName,
        mediaError: `file larger than ${this.options.maxBytes} bytes: not downloaded`,
      }
    if (!media.mediaKey || !(media.directPath || media.url))
      return { mimeType, fileName, mediaError: 'the message names no downloadable file' }
    let data: Buffer
    try {
      data = await this.messages.download(
        event.userId,
        kindOf(String(event.data.type)),
        {
          mediaKey: media.mediaKey,
          directPath: media.directPath,
          url: media.url,
          fileSha256: media.fileSha256,
        },
        { id: String(event.data.id), chat: event.chat },
      )
    } catch (err) {
      const waiting = err instanceof AppError && err.code === 'SESSION_NOT_READY'
      if (waiting && Date.now() - event.at.getTime() < WAIT_FOR_SESSION_MS)
        throw new DeliveryError(`media: ${(err as Error).message}; retried when the session is back`)
      return { mimeType, fileName, mediaError: (err as Error).message }
    }
    const out: MediaFields = { mimeType, fileName }
    if (plan.delivery !== 's3' || !plan.store) out.base64 = data.toString('base64')
    if (plan.store && plan.delivery !== 'base64') {
      const key = plan.store.keyOf(event.userId, String(event.data.id), event.at, mimeType)
      try {
        const stored = await plan.store.put(key, data, mimeType, fileName)
        out.s3 = { ...stored, mimeType, fileName }
      } catch (err) {
        this.options.log.warn(
          { err, userId: event.userId, bucket: plan.store.config.bucket },
          'S3 upload failed',
        )
        throw new DeliveryError(`media: S3 upload failed: ${(err as Error).message}`)
      }
    }
    return out
  }

  /** Where a user's media goes and how events carry it. */
  private plan(user: User): { store: ObjectStore | undefined; delivery: MediaDelivery } {
    const own = this.userStore(user)
    if (own) return { store: own, delivery: user.secrets.s3.media_delivery }
    const global = this.globalStore()
    if (global && !user.settings.globalTransportSkips.skipGlobalS3)
      return { store: global, delivery: this.transports.config.s3.mediaDelivery }
    return { store: undefined, delivery: 'base64' }
  }

  /** The user's own bucket, when its S3 settings are on. */
  userStore(user: User): ObjectStore | undefined {
    return user.secrets.s3.enabled
      ? this.store(bucketOf(user.secrets.s3), this.options.blockPrivateUrls)
      : undefined
  }

  /** The shared bucket of the `GLOBAL_S3_*` settings, when on. */
  globalStore(): ObjectStore | undefined {
    const { s3 } = this.transports.config
    return s3.enabled ? this.store(s3.bucket, false) : undefined
  }

  /** DIGIGO's test of the stored settings: refused (400) while S3 is off. */
  async testStored(config: S3Config): Promise<void> {
    if (!config.enabled) throw new AppError('VALIDATION', 'S3 is not enabled (POST /session/s3/config first)')
    await this.testBucket(config)
  }

  /**
   * Reaches a bucket with the given settings (HeadBucket). What S3 refused (credentials, bucket)
   * is a 400 with S3's reason; an endpoint that cannot be reached is a 503.
   */
  async testBucket(config: S3Config): Promise<void> {
    if (!config.bucket) throw new AppError('VALIDATION', 'bucket is required')
    const problem = config.endpoint
      ? urlProblem(config.endpoint, {
          schemes: ['http', 'https'],
          blockPrivate: this.options.blockPrivateUrls,
        })
      : undefined
    if (problem) throw new AppError('VALIDATION', `endpoint ${problem}`)
    const store = new ObjectStore(bucketOf(config), this.options.blockPrivateUrls)
    try {
      await store.check()
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
      const reason = (err as Error).message || (err as Error).name || `HTTP ${status}`
      throw new AppError(
        status ? 'VALIDATION' : 'UNAVAILABLE',
        `S3 connection test failed${status ? ` (HTTP ${status})` : ''}: ${reason}`,
      )
    } finally {
      store.close()
    }
  }

  private store(config: BucketConfig, blockPrivate: boolean): ObjectStore {
    const key = JSON.stringify([config, blockPrivate])
    let store = this.stores.get(key)
    if (!store) {
      store = new ObjectStore(config, blockPrivate)
      this.stores.set(key, store)
    }
    return store
  }

  /** Removes every object of a deleted user, from its own bucket and the global one. */
  async purgeUser(user: User): Promise<number> {
    let removed = 0
    for (const store of [this.userStore(user), this.globalStore()]) {
      if (!store) continue
      removed += await store.purge(store.prefixOf(user.id)).catch((err) => {
        this.options.log.warn({ err, userId: user.id }, 'removing the user’s S3 objects failed')
        return 0
      })
    }
    return removed
  }

  close(): void {
    for (const store of this.stores.values()) store.close()
    this.stores.clear()
    this.prepared.clear()
  }
}

export function bucketOf(s3: S3Config): BucketConfig {
  return {
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    accessKey: s3.access_key,
    secretKey: s3.secret_key,
    pathStyle: s3.path_style,
    publicUrl: s3.public_url,
    pathPrefix: s3.path_prefix,
    disableAcl: s3.disable_acl,
  }
}

function kindOf(type: string): DownloadKind {
  if (type === 'ptv') return 'video'
  return (['image', 'video', 'audio', 'document', 'sticker'] as const).find((k) => k === type) ?? 'document'
}

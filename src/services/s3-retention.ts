import type { Logger } from 'pino'
import type { MediaPipeline } from './media-pipeline.js'
import type { ObjectStore } from './object-store.js'
import type { TransportsService } from './transports.service.js'
import type { UsersService } from './users.service.js'

const MAX_CONCURRENCY = 5
const BATCH_SIZE = 1_000
const OBJECTS_PER_CYCLE = 10_000

/** One prefix of one bucket whose objects expire after `days`. */
interface Target {
  store: ObjectStore
  prefix: string
  days: number
}

/**
 * DIGIGO's S3 retention worker: on a schedule (and on demand), deletes media objects older than
 * their retention — each user's `retention_days` in its own bucket, `GLOBAL_S3_RETENTION_DAYS` in
 * the shared one (0 keeps forever) — at most 10,000 objects per cycle, 1,000 per request, five
 * prefixes at a time.
 */
export class S3Retention {
  private timer: NodeJS.Timeout | undefined
  private current: Promise<void> | undefined
  private readonly totals = {
    last_run_time: null as string | null,
    last_run_duration: '0s',
    objects_deleted: 0,
    bytes_reclaimed: 0,
    error_count: 0,
    users_processed: 0,
    cycle_count: 0,
  }

  constructor(
    private readonly users: UsersService,
    private readonly media: MediaPipeline,
    private readonly transports: TransportsService,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.trigger(), this.intervalMs)
    this.timer.unref()
  }

  stop(): Promise<void> | undefined {
    clearInterval(this.timer)
    this.timer = undefined
    return this.current
  }

  get running(): boolean {
    return this.timer !== undefined
  }

  /** Starts a cycle unless one is going; resolves when that cycle ends. */
  trigger(): Promise<void> {
    this.current ??= this.cycle().finally(() => {
      this.current = undefined
    })
    return this.current
  }

  stats() {
    return {
      enabled: true,
      running: this.running,
      currently_running: this.current !== undefined,
      ...this.totals,
      config: {
        interval: duration(this.intervalMs),
        max_concurrency: MAX_CONCURRENCY,
        batch_size: BATCH_SIZE,
        objects_per_cycle: OBJECTS_PER_CYCLE,
      },
    }
  }

  private async targets(): Promise<Target[]> {
    const targets: Target[] = []
    for (const user of await this.users.list()) {
      const store = this.media.userStore(user)
      if (store && user.secrets.s3.retention_days > 0)
        targets.push({ store, prefix: store.prefixOf(user.id), days: user.secrets.s3.retention_days })
    }
    const global = this.media.globalStore()
    const days = this.transports.config.s3.retentionDays
    if (global && days > 0)
      targets.push({ store: global, prefix: global.config.pathPrefix.replace(/^\/+/, ''), days })
    return targets
  }

  private async cycle(): Promise<void> {
    const started = Date.now()
    let budget = OBJECTS_PER_CYCLE
    const queue = await this.targets()
    const work = async () => {
      for (let target = queue.shift(); target && budget > 0; target = queue.shift()) {
        try {
          budget -= await this.expire(target, budget)
        } catch (err) {
          this.totals.error_count++
          this.log.warn(
            { err, bucket: target.store.config.bucket, prefix: target.prefix },
            'S3 retention failed',
          )
        }
        this.totals.users_processed++
      }
    }
    await Promise.all(Array.from({ length: MAX_CONCURRENCY }, work))
    this.totals.cycle_count++
    this.totals.last_run_time = new Date(started).toISOString()
    this.totals.last_run_duration = duration(Date.now() - started)
  }

  /** Deletes a target's expired objects, at most `budget`; answers how many went. */
  private async expire({ store, prefix, days }: Target, budget: number): Promise<number> {
    const cutoff = Date.now() - days * 86_400_000
    let deleted = 0
    for await (const page of store.list(prefix)) {
      const expired = page.filter((o) => o.modified.getTime() < cutoff).slice(0, budget - deleted)
      for (let i = 0; i < expired.length; i += BATCH_SIZE) {
        const batch = expired.slice(i, i + BATCH_SIZE)
        const n = await store.remove(batch.map((o) => o.key))
        deleted += n
        this.totals.objects_deleted += n
        this.totals.bytes_reclaimed += batch.reduce((sum, o) => sum + o.size, 0)
      }
      if (deleted >= budget) break
    }
    return deleted
  }
}

/** Go's duration format, as DIGIGO shows it ("1h0m0s", "2.5s"). */
function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = Math.round((ms % 60_000) / 1000)
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`
}

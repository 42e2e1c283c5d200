import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { DeliveriesRepository } from '../store/deliveries.repository.js'
import type { DeliveryRow, NewDeliveryRow } from '../store/deliveries.table.js'
import type { EventsRepository } from '../store/events.repository.js'
import { rowToEvent, type ZapEvent } from './event.js'
import type { Outbox } from './outbox.js'
import { DeliveryError, type Sink } from './sink.js'

export interface DeliveryPolicy {
  /** Deliveries in flight per endpoint. */
  concurrency: number
  /** First retry after this, doubling (with ±20 % jitter) up to `retryMaxMs`. */
  retryBaseMs: number
  retryMaxMs: number
  /** After this many attempts, or when the event is this old, it goes to the DLQ. */
  maxAttempts: number
  maxAgeMs: number
  /** Events held in memory per sink (loaded, not yet settled). */
  window: number
  /** Consecutive failures of an endpoint that open its circuit (it waits out a backoff). */
  breakerThreshold: number
  /** How long a process holds a sink without renewing (another takes it over after a crash). */
  leaseMs: number
}

export const DEFAULT_POLICY: DeliveryPolicy = {
  concurrency: 16,
  retryBaseMs: 1_000,
  retryMaxMs: 600_000,
  maxAttempts: 200,
  maxAgeMs: 72 * 3_600_000,
  window: 2_000,
  breakerThreshold: 5,
  leaseMs: 30_000,
}

/** What the dispatcher counts (Prometheus, /admin/global/stats). */
export interface DeliveryCounters {
  delivered?(sink: Sink, latencyMs: number): void
  failed?(sink: Sink): void
  dead?(sink: Sink): void
}

/** One delivery attempt as it ended (the dashboard's delivery log). */
export interface AttemptRecord {
  sink: string
  transport: string
  userId: string
  eventId: string
  eventSeq: number
  eventType: string
  /** The attempt's number for this event and sink (1 = first). */
  attempt: number
  outcome: 'success' | 'retrying' | 'dlq'
  latencyMs: number
  /** The sink's error ('' on success): for webhooks the HTTP status or the network error. */
  error: string
  at: string
}

/** Gives the sinks configured now (webhooks of users, global ones). */
export interface SinkSource {
  sinks(): Promise<Sink[]>
}

interface Endpoint {
  inflight: number
  failures: number
  openUntil: number
  waiting: Set<SinkRunner>
}

/**
 * Takes events from the outbox to every sink, at least once: in order per chat, concurrently
 * across chats and sinks, retried with backoff, given up into the DLQ after the policy's bounds.
 * Progress is kept per sink (a cursor plus one row per event past it), so a restart or a crash
 * loses nothing; events delivered but not yet recorded are delivered again.
 */
export class Dispatcher {
  private readonly runners = new Map<string, SinkRunner>()
  private readonly endpoints = new Map<string, Endpoint>()
  private unsubscribe: (() => void) | undefined
  private poller: NodeJS.Timeout | undefined
  private reloading: Promise<void> = Promise.resolve()
  /** This process, as the holder of sink leases. */
  readonly owner = randomUUID()
  /** Hear every delivery attempt as it ends (see `onAttempt`). */
  readonly attemptListeners = new Set<(record: AttemptRecord) => void>()
  /** Turns an event into what sinks get (media added); by default the event itself. */
  prepare: (event: ZapEvent) => ZapEvent | Promise<ZapEvent> = (event) => event

  constructor(
    readonly events: EventsRepository,
    readonly deliveries: DeliveriesRepository,
    private readonly outbox: Outbox,
    private readonly source: SinkSource,
    readonly log: Logger,
    readonly policy: DeliveryPolicy = DEFAULT_POLICY,
    readonly counters: DeliveryCounters = {},
  ) {}

  async start(): Promise<void> {
    const wakeAll = () => {
      for (const runner of this.runners.values()) runner.notify()
    }
    this.unsubscribe = this.outbox.onAppend(wakeAll)
    // Events another process wrote are found within 200 ms by one cheap probe of the outbox's
    // last position (not a query per sink); every five seconds all sinks look again and sinks
    // another process configured are picked up.
    let ticks = 0
    let lastSeen = await this.events.lastSeq()
    let probing = false
    this.poller = setInterval(() => {
      if (++ticks % 25 === 0) {
        void this.reload()
        wakeAll()
        return
      }
      if (probing) return
      probing = true
      this.events
        .lastSeq()
        .then((top) => {
          if (top > lastSeen) wakeAll()
          lastSeen = Math.max(lastSeen, top)
        })
        .catch(() => undefined)
        .finally(() => {
          probing = false
        })
    }, 200)
    this.poller.unref()
    await this.reload()
  }

  /** Calls `listener` after each delivery attempt; returns an unsubscribe. */
  onAttempt(listener: (record: AttemptRecord) => void): () => void {
    this.attemptListeners.add(listener)
    return () => this.attemptListeners.delete(listener)
  }

  /** Picks up added, changed and removed sinks (after a webhook or setting changed). */
  reload(): Promise<void> {
    this.reloading = this.reloading
      .then(() => this.apply())
      .catch((err) => this.log.error({ err }, 'reloading sinks failed'))
    return this.reloading
  }

  private async apply(): Promise<void> {
    const sinks = await this.source.sinks()
    const ids = new Set(sinks.map((s) => s.id))
    for (const [id, runner] of this.runners) {
      if (ids.has(id)) continue
      this.runners.delete(id)
      await runner.stop()
      // A sink removed forgets its place: configured again, it starts from new events.
      await this.deliveries.deleteCursor(id)
    }
    for (const sink of sinks) {
      const running = this.runners.get(sink.id)
      if (running) {
        running.sink = sink
        running.wake()
        continue
      }
      const runner = new SinkRunner(this, sink)
      this.runners.set(sink.id, runner)
      await runner.start()
    }
  }

  endpoint(key: string): Endpoint {
    let endpoint = this.endpoints.get(key)
    if (!endpoint) {
      endpoint = { inflight: 0, failures: 0, openUntil: 0, waiting: new Set() }
      this.endpoints.set(key, endpoint)
    }
    return endpoint
  }

  /**
   * Delivers a sink's events again from after `seq`: its place moves back there (and what it
   * recorded past it is forgotten). Resolves false when no such sink runs.
   */
  async rewind(sinkId: string, seq: number): Promise<boolean> {
    await this.reloading
    const runner = this.runners.get(sinkId)
    if (!runner) return false
    await runner.stop()
    this.runners.delete(sinkId)
    await this.deliveries.rewind(sinkId, seq, new Date().toISOString())
    const fresh = new SinkRunner(this, runner.sink)
    this.runners.set(sinkId, fresh)
    await fresh.start()
    return true
  }

  /** Retried or replayed rows were set back to `retrying`: deliver them. */
  replayed(): void {
    for (const runner of this.runners.values()) runner.replayPending = true
    for (const runner of this.runners.values()) runner.wake()
  }

  /** What each sink has in hand (for stats). */
  snapshot(): { sink: string; transport: string; pending: number; retrying: number; cursor: number }[] {
    return [...this.runners.values()].map((r) => r.snapshot())
  }

  async stop(): Promise<void> {
    this.unsubscribe?.()
    clearInterval(this.poller)
    await this.reloading
    await Promise.all([...this.runners.values()].map((r) => r.stop()))
    this.runners.clear()
  }

  backoff(attempt: number): number {
    const base = Math.min(this.policy.retryMaxMs, this.policy.retryBaseMs * 2 ** Math.max(0, attempt - 1))
    return Math.round(base * (0.8 + Math.random() * 0.4))
  }
}

/** One sink's delivery: its lanes (one per chat), retries, and persisted progress. */
class SinkRunner {
  private cursor = 0
  private loadedUpTo = 0
  /** Loaded positions in order; the cursor moves past the settled ones at the front. */
  private readonly order: number[] = []
  private readonly settled = new Set<number>()
  private readonly lanes = new Map<string, ZapEvent[]>()
  private readonly busy = new Set<string>()
  private readonly retries = new Map<number, { attempts: number; nextAt: number }>()
  /** Rows past the cursor found at start (settled before a restart, or being retried). */
  private known = new Map<number, DeliveryRow>()
  private readonly replaying = new Set<number>()
  private outcomes: NewDeliveryRow[] = []
  private pumping = false
  private again = false
  private stopped = false
  private timer: NodeJS.Timeout | undefined
  private flushTimer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()
  private cursorDirty = false
  replayPending = true
  /** This process holds the sink's lease (only then it delivers). */
  private holding = false
  private leaseTimer: NodeJS.Timeout | undefined
  /** The outbox may hold events not loaded yet (new ones were announced, or the window filled). */
  private more = true

  constructor(
    private readonly dispatcher: Dispatcher,
    public sink: Sink,
  ) {}

  async start(): Promise<void> {
    const { deliveries } = this.dispatcher
    let cursor = await deliveries.cursor(this.sink.id)
    if (cursor === undefined) {
      // A new sink takes the events from now on.
      cursor = await this.dispatcher.events.lastSeq()
      await deliveries.setCursor(this.sink.id, cursor, new Date().toISOString())
    }
    await this.claim()
  }

  /**
   * Takes or renews the sink's lease (one process delivers a sink at a time), every third of the
   * lease. On taking it, starts from what is recorded; on losing it, lets go of what is in hand.
   */
  private async claim(): Promise<void> {
    if (this.stopped) return
    const { deliveries, owner, policy } = this.dispatcher
    const now = Date.now()
    let held = false
    try {
      held = await deliveries.lease(this.sink.id, owner, now + policy.leaseMs, now)
    } catch (err) {
      this.dispatcher.log.warn({ err, sink: this.sink.id }, 'renewing a sink lease failed')
      held = this.holding
    }
    if (held && !this.holding) {
      const cursor = (await deliveries.cursor(this.sink.id)) ?? 0
      this.cursor = this.loadedUpTo = cursor
      this.known = new Map(
        (await deliveries.after(this.sink.id, cursor)).map((r) => [Number(r.event_seq), r]),
      )
      this.holding = true
      this.more = true
      this.replayPending = true
      this.wake()
    } else if (!held && this.holding) {
      this.holding = false
      this.order.length = 0
      this.settled.clear()
      this.lanes.clear()
      this.retries.clear()
      this.replaying.clear()
    }
    clearTimeout(this.leaseTimer)
    this.leaseTimer = setTimeout(() => void this.claim(), policy.leaseMs / 3)
    this.leaseTimer.unref()
  }

  /** New events may be in the outbox. */
  notify(): void {
    this.more = true
    this.wake()
  }

  wake(): void {
    if (this.stopped || !this.holding) return
    if (this.pumping) {
      this.again = true
      return
    }
    this.pumping = true
    void this.pump()
      .catch((err) => {
        this.dispatcher.log.error({ err, sink: this.sink.id }, 'dispatching failed')
        this.later(1_000)
      })
      .finally(() => {
        this.pumping = false
        if (this.again) this.wake()
      })
  }

  private async pump(): Promise<void> {
    do {
      this.again = false
      await this.load()
      if (this.replayPending) await this.loadReplays()
      this.dispatch()
    } while (this.again && !this.stopped)
  }

  private async load(): Promise<void> {
    const { window } = this.dispatcher.policy
    const room = window - this.order.length
    // Load in batches: when there may be more, and the window has drained to half.
    if (!this.more || room < window / 2) return
    const rows = await this.dispatcher.events.list({
      userId: this.sink.userId,
      afterSeq: this.loadedUpTo,
      limit: room,
    })
    for (const row of rows) {
      const event = rowToEvent(row)
      this.loadedUpTo = event.seq
      this.order.push(event.seq)
      const known = this.known.get(event.seq)
      if (known) this.known.delete(event.seq)
      if ((known && known.status !== 'retrying') || !this.sink.wants(event)) {
        this.settled.add(event.seq)
        continue
      }
      if (known)
        this.retries.set(event.seq, { attempts: known.attempts, nextAt: Date.parse(known.next_at) || 0 })
      this.lane(laneOf(event)).push(event)
    }
    this.more = rows.length === room
    if (this.more) this.again = true
    this.advance()
  }

  /** Rows an admin set back to `retrying` (replay, redrive) that are not already in hand. */
  private async loadReplays(): Promise<void> {
    this.replayPending = false
    const rows = await this.dispatcher.deliveries.replays(this.sink.id, Number.MAX_SAFE_INTEGER, 500)
    for (const row of rows) {
      const seq = Number(row.event_seq)
      if (this.retries.has(seq) || this.replaying.has(seq) || seq > this.loadedUpTo) continue
      const stored = await this.dispatcher.events.list({ afterSeq: seq - 1, limit: 1 })
      const event =
        stored[0] && Number(stored[0].seq) === seq
          ? rowToEvent(stored[0])
          : row.payload
            ? reviveEvent(row.payload)
            : undefined
      if (!event) continue
      this.replaying.add(seq)
      this.lane(`replay|${laneOf(event)}`).push(event)
    }
  }

  private lane(key: string): ZapEvent[] {
    let lane = this.lanes.get(key)
    if (!lane) {
      lane = []
      this.lanes.set(key, lane)
    }
    return lane
  }

  private dispatch(): void {
    const endpoint = this.dispatcher.endpoint(this.sink.endpoint)
    const { concurrency } = this.dispatcher.policy
    const now = Date.now()
    let wakeAt = Number.POSITIVE_INFINITY
    if (endpoint.openUntil > 0 && (endpoint.openUntil > now || endpoint.inflight > 0)) {
      // The circuit is open, or half open with its probe in flight: wait.
      if (endpoint.openUntil > now) this.later(endpoint.openUntil - now)
      else endpoint.waiting.add(this)
      return
    }
    for (const [key, lane] of this.lanes) {
      if (lane.length === 0) {
        if (!this.busy.has(key)) this.lanes.delete(key)
        continue
      }
      if (this.busy.has(key)) continue
      const event = lane[0]!
      const retry = this.retries.get(event.seq)
      const due = Math.max(retry?.nextAt ?? 0, endpoint.openUntil)
      if (due > now) {
        wakeAt = Math.min(wakeAt, due)
        continue
      }
      if (endpoint.inflight >= concurrency) {
        endpoint.waiting.add(this)
        break
      }
      this.busy.add(key)
      endpoint.inflight++
      void this.attempt(key, event, endpoint)
      // While the circuit is half open, one delivery probes the endpoint.
      if (endpoint.openUntil > 0) break
    }
    if (wakeAt !== Number.POSITIVE_INFINITY) this.later(wakeAt - now)
  }

  private async attempt(key: string, event: ZapEvent, endpoint: Endpoint): Promise<void> {
    const { policy, counters } = this.dispatcher
    const started = Date.now()
    let error: Error | undefined
    try {
      const ready = this.dispatcher.prepare(event)
      await this.sink.deliver(ready instanceof Promise ? await ready : ready)
    } catch (err) {
      error = err as Error
    }
    endpoint.inflight--
    const now = Date.now()
    const at = new Date(now).toISOString()
    const state = this.retries.get(event.seq) ?? { attempts: 0, nextAt: 0 }
    state.attempts++
    const lane = this.lanes.get(key)
    const replay = key.startsWith('replay|')
    const row = (status: NewDeliveryRow['status'], extra: Partial<NewDeliveryRow> = {}): NewDeliveryRow => ({
      sink: this.sink.id,
      transport: this.sink.transport,
      user_id: event.userId,
      event_seq: event.seq,
      event_id: event.id,
      event_type: event.type,
      status,
      attempts: state.attempts,
      last_error: error?.message.slice(0, 1_000) ?? '',
      next_at: '',
      payload: '',
      last_replay_at: null,
      created_at: at,
      updated_at: at,
      ...extra,
    })
    let settled = true
    if (!error) {
      endpoint.failures = 0
      endpoint.openUntil = 0
      this.outcomes.push(row('success'))
      counters.delivered?.(this.sink, now - started)
    } else {
      endpoint.failures++
      if (endpoint.failures >= policy.breakerThreshold)
        endpoint.openUntil = now + this.dispatcher.backoff(endpoint.failures - policy.breakerThreshold + 1)
      const final = error instanceof DeliveryError && error.final
      if (final || state.attempts >= policy.maxAttempts || now - event.at.getTime() >= policy.maxAgeMs) {
        this.outcomes.push(row('dlq', { payload: JSON.stringify(event) }))
        counters.dead?.(this.sink)
        this.dispatcher.log.warn(
          { sink: this.sink.id, event: event.id, attempts: state.attempts, err: error.message },
          'event moved to the DLQ',
        )
      } else {
        settled = false
        state.nextAt = now + this.dispatcher.backoff(state.attempts)
        this.retries.set(event.seq, state)
        this.outcomes.push(row('retrying', { next_at: new Date(state.nextAt).toISOString() }))
        counters.failed?.(this.sink)
      }
    }
    const listeners = this.dispatcher.attemptListeners
    if (listeners.size > 0) {
      const outcome = this.outcomes.at(-1)!
      const record: AttemptRecord = {
        sink: this.sink.id,
        transport: this.sink.transport,
        userId: event.userId,
        eventId: event.id,
        eventSeq: event.seq,
        eventType: event.type,
        attempt: state.attempts,
        outcome: outcome.status,
        latencyMs: now - started,
        error: outcome.last_error ?? '',
        at,
      }
      // A listener that throws must not stall this sink (its lane, cursor and endpoint slot).
      for (const listener of listeners) {
        try {
          listener(record)
        } catch (err) {
          this.dispatcher.log.warn({ err, sink: this.sink.id }, 'a delivery-attempt listener failed')
        }
      }
    }
    if (settled) {
      lane?.shift()
      this.retries.delete(event.seq)
      if (replay) this.replaying.delete(event.seq)
      else {
        this.settled.add(event.seq)
        this.advance()
      }
    }
    this.busy.delete(key)
    this.scheduleFlush()
    for (const waiting of endpoint.waiting) {
      endpoint.waiting.delete(waiting)
      waiting.wake()
    }
    this.wake()
  }

  private advance(): void {
    let moved = false
    while (this.order.length > 0 && this.settled.has(this.order[0]!)) {
      const seq = this.order.shift()!
      this.settled.delete(seq)
      this.cursor = seq
      moved = true
    }
    if (this.order.length === 0 && this.cursor !== this.loadedUpTo) {
      this.cursor = this.loadedUpTo
      moved = true
    }
    if (moved) {
      this.cursorDirty = true
      this.scheduleFlush()
    }
  }

  private later(ms: number): void {
    if (this.stopped) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.wake(), Math.max(5, ms))
    this.timer.unref()
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.stopped) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined
      void this.flush()
    }, 50)
    this.flushTimer.unref()
  }

  /** Writes outcomes, then the cursor: a crash in between only delivers some events again. */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const outcomes = this.outcomes
      this.outcomes = []
      const cursor = this.cursorDirty ? this.cursor : undefined
      this.cursorDirty = false
      try {
        await this.dispatcher.deliveries.record(outcomes)
        if (cursor !== undefined)
          await this.dispatcher.deliveries.setCursor(this.sink.id, cursor, new Date().toISOString())
      } catch (err) {
        this.dispatcher.log.error({ err, sink: this.sink.id }, 'recording deliveries failed')
        this.outcomes.unshift(...outcomes)
        if (cursor !== undefined) this.cursorDirty = true
        this.scheduleFlush()
      }
    })
    return this.flushing
  }

  snapshot() {
    return {
      sink: this.sink.id,
      transport: this.sink.transport,
      pending: [...this.lanes.values()].reduce((n, l) => n + l.length, 0),
      retrying: this.retries.size,
      cursor: this.cursor,
    }
  }

  async stop(): Promise<void> {
    // In-flight deliveries finish on their own; what they settle after this is delivered again.
    this.stopped = true
    clearTimeout(this.timer)
    clearTimeout(this.flushTimer)
    clearTimeout(this.leaseTimer)
    this.flushTimer = undefined
    await this.flush()
    if (this.holding)
      await this.dispatcher.deliveries
        .releaseLease(this.sink.id, this.dispatcher.owner)
        .catch(() => undefined)
    this.holding = false
  }
}

/** Order is kept per chat of each user; session events ('' chat) form one lane per user. */
const laneOf = (event: ZapEvent) => `${event.userId}|${event.chat}`

function reviveEvent(payload: string): ZapEvent | undefined {
  try {
    const e = JSON.parse(payload) as Omit<ZapEvent, 'at'> & { at: string }
    return { ...e, at: new Date(e.at) }
  } catch {
    return undefined
  }
}

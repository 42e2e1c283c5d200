import type { FastifyInstance } from 'fastify'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { DeliveryCounters } from '../events/dispatcher.js'
import { SESSION_STATES } from '../services/session-policy.js'
import type { SessionCounters } from '../services/sessions.service.js'

/** One Prometheus registry per app (tests build several apps in one process). */
export interface Metrics {
  registry: Registry
  httpDuration: Histogram<'method' | 'route' | 'status_code'>
  sessions: SessionCounters
  deliveries: DeliveryCounters
  /** Where the delivery gauges read from (set once the services exist). */
  watchDeliveries(source: DeliverySource): void
}

/** What the delivery gauges read at each scrape. */
export interface DeliverySource {
  sinks(): { sink: string; transport: string; pending: number; retrying: number }[]
  dlqDepth(): Promise<{ transport: string; n: number }[]>
}

export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const httpDuration = new Histogram({
    name: 'zapwire_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  })
  const reconnects = new Counter({
    name: 'zapwire_session_reconnects_total',
    help: 'Reconnections of a WhatsApp session, by user id',
    labelNames: ['user'] as const,
    registers: [registry],
  })
  const watchdog = new Counter({
    name: 'zapwire_session_watchdog_restarts_total',
    help: 'Sockets restarted because WhatsApp went silent, by user id',
    labelNames: ['user'] as const,
    registers: [registry],
  })
  const decrypt = new Counter({
    name: 'zapwire_session_decrypt_failures_total',
    help: 'Messages that arrived and could not be decrypted, by user id',
    labelNames: ['user'] as const,
    registers: [registry],
  })
  const states = new Gauge({
    name: 'zapwire_session_state',
    help: 'Current state of each session (1 for the state it is in)',
    labelNames: ['user', 'state'] as const,
    registers: [registry],
  })
  const sessions: SessionCounters = {
    reconnect: (user) => reconnects.inc({ user }),
    watchdogRestart: (user) => watchdog.inc({ user }),
    decryptFailure: (user) => decrypt.inc({ user }),
    removed: (user) => {
      for (const metric of [reconnects, watchdog, decrypt]) metric.remove({ user })
      for (const state of SESSION_STATES) states.remove({ user, state })
    },
    stateChange: (user, state) => {
      for (const s of SESSION_STATES) states.set({ user, state: s }, s === state ? 1 : 0)
    },
  }
  const delivered = new Counter({
    name: 'zapwire_deliveries_total',
    help: 'Events delivered, by sink (webhook:<user id>, global-…) and transport',
    labelNames: ['sink', 'transport'] as const,
    registers: [registry],
  })
  const failed = new Counter({
    name: 'zapwire_delivery_failures_total',
    help: 'Delivery attempts that failed and will be retried, by sink',
    labelNames: ['sink', 'transport'] as const,
    registers: [registry],
  })
  const dead = new Counter({
    name: 'zapwire_delivery_dead_total',
    help: 'Events moved to the DLQ, by sink',
    labelNames: ['sink', 'transport'] as const,
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'zapwire_delivery_duration_seconds',
    help: 'Time of one successful delivery call, by transport',
    labelNames: ['transport'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
    registers: [registry],
  })
  let source: DeliverySource | undefined
  new Gauge({
    name: 'zapwire_delivery_pending',
    help: 'Events loaded and not yet settled (outbox lag), by sink',
    labelNames: ['sink', 'transport'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const s of source?.sinks() ?? []) this.set({ sink: s.sink, transport: s.transport }, s.pending)
    },
  })
  new Gauge({
    name: 'zapwire_delivery_retrying',
    help: 'Events waiting for a retry, by sink',
    labelNames: ['sink', 'transport'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const s of source?.sinks() ?? []) this.set({ sink: s.sink, transport: s.transport }, s.retrying)
    },
  })
  new Gauge({
    name: 'zapwire_dlq_depth',
    help: 'Events in the DLQ, by transport',
    labelNames: ['transport'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      for (const d of (await source?.dlqDepth()) ?? []) this.set({ transport: d.transport }, d.n)
    },
  })
  const deliveries: DeliveryCounters = {
    delivered: (sink, ms) => {
      delivered.inc({ sink: sink.id, transport: sink.transport })
      latency.observe({ transport: sink.transport }, ms / 1000)
    },
    failed: (sink) => failed.inc({ sink: sink.id, transport: sink.transport }),
    dead: (sink) => dead.inc({ sink: sink.id, transport: sink.transport }),
  }
  return {
    registry,
    httpDuration,
    sessions,
    deliveries,
    watchDeliveries: (s) => {
      source = s
    },
  }
}

/** Times every request by its route pattern (never the raw URL, which would explode cardinality). */
export function trackHttp(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpDuration.observe(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    )
  })
}

import { api, data, METRICS_KEY } from './api.js'
import { badge, field, fill, h, input, time } from './dom.js'
import type { ZapEvent } from './events.js'
import { adminCred, type Ctx, instanceCred } from './scope.js'

/** Session events and the state each one leaves the session in. */
const SESSION_EVENTS: Record<string, string> = {
  QR: 'qr',
  PairSuccess: 'connecting',
  Connected: 'connected',
  Disconnected: 'reconnecting',
  KeepAliveTimeout: 'reconnecting',
  StreamError: 'reconnecting',
  StreamReplaced: 'replaced',
  LoggedOut: 'logged_out',
  TemporaryBan: 'banned',
  ClientOutdated: 'outdated',
  ConnectFailure: 'failed',
  QRTimeout: 'disconnected',
}

const SVG = 'http://www.w3.org/2000/svg'
function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  return el
}

/** The instance's state changes over the last 24 hours, from its session events in the outbox. */
export function timelineTab(ctx: Ctx, id: string): HTMLElement {
  const strip = h('div', { class: 'strip-wrap' })
  const counts = h('p', { class: 'muted' })
  const list = h('ol', { class: 'timeline', 'aria-label': 'State changes, newest first' })
  const load = async () => {
    const since = new Date(Date.now() - 86_400_000).toISOString()
    const page = await data<{ events: ZapEvent[] }>('GET', 'events', {
      as: await instanceCred(ctx.auth, id),
      query: { since, type: Object.keys(SESSION_EVENTS).join(','), limit: 1000 },
    })
    // Consecutive QR rotations are one "waiting for a scan" period.
    const changes = page.events.filter((e, i, all) => !(e.event === 'QR' && all[i - 1]?.event === 'QR'))
    const reconnects = changes.filter(
      (e, i) => e.event === 'Connected' && i > 0 && SESSION_EVENTS[changes[i - 1]!.event] === 'reconnecting',
    ).length
    counts.textContent = `${changes.length} state changes and ${reconnects} reconnects in the last 24 hours.`
    const start = Date.now() - 86_400_000
    const width = 1000
    const box = svg('svg', {
      viewBox: `0 0 ${width} 24`,
      class: 'strip',
      role: 'img',
      'aria-label': 'State over the last 24 hours',
    })
    changes.forEach((e, i) => {
      const x0 = ((Date.parse(e.timestamp) - start) / 86_400_000) * width
      const next = changes[i + 1]
      const x1 = next ? ((Date.parse(next.timestamp) - start) / 86_400_000) * width : width
      const rect = svg('rect', {
        x: Math.max(0, x0),
        y: 0,
        width: Math.max(1, x1 - Math.max(0, x0)),
        height: 24,
        class: `seg state-${SESSION_EVENTS[e.event]}`,
      })
      const title = svg('title', {})
      title.textContent = `${e.event} at ${new Date(e.timestamp).toLocaleString()}`
      rect.append(title)
      box.append(rect)
    })
    fill(strip, box, h('div', { class: 'strip-axis' }, h('span', {}, '24 h ago'), h('span', {}, 'now')))
    fill(
      list,
      [...changes]
        .reverse()
        .map((e) =>
          h(
            'li',
            {},
            time(e.timestamp),
            ' ',
            badge(SESSION_EVENTS[e.event] ?? e.event),
            ' ',
            h('span', { class: 'muted' }, e.event),
          ),
        ),
    )
    if (changes.length === 0)
      list.append(h('li', { class: 'muted' }, 'No state change in the last 24 hours.'))
  }
  ctx.scope.every(5_000, load)
  return h('div', { class: 'card' }, h('h2', {}, 'State timeline'), counts, strip, list)
}

type Series = { name: string; labels: Record<string, string>; value: number }

/** Prometheus text → series (comments and histogram buckets skipped). */
export function parseMetrics(text: string): Series[] {
  const out: Series[] = []
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line)
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!
    out.push({ name: m[1]!, labels, value: Number(m[3]) })
  }
  return out
}

interface Total {
  key: string
  label: string
  pick(series: Series[], ctx: Ctx): number
}

const sum =
  (name: string, filter: (l: Record<string, string>) => boolean = () => true) =>
  (series: Series[]) =>
    series.filter((s) => s.name === name && filter(s.labels)).reduce((n, s) => n + s.value, 0)

const TOTALS: Total[] = [
  {
    key: 'sent',
    label: 'Messages sent through the API',
    pick: sum(
      'zapwire_http_request_duration_seconds_count',
      (l) => /\/chat\/send\//.test(l.route ?? '') && /^2/.test(l.status_code ?? ''),
    ),
  },
  { key: 'delivered', label: 'Events delivered', pick: sum('zapwire_deliveries_total') },
  { key: 'failed', label: 'Failed delivery attempts', pick: sum('zapwire_delivery_failures_total') },
  { key: 'dead', label: 'Events moved to the DLQ', pick: sum('zapwire_delivery_dead_total') },
  { key: 'dlq', label: 'In the DLQ now', pick: sum('zapwire_dlq_depth') },
  { key: 'pending', label: 'Pending deliveries', pick: sum('zapwire_delivery_pending') },
  { key: 'reconnects', label: 'Session reconnects', pick: sum('zapwire_session_reconnects_total') },
]

/** A sparkline of the last samples' increases. */
function sparkline(values: number[], label: string): SVGElement {
  const w = 160
  const hgt = 36
  const box = svg('svg', { viewBox: `0 0 ${w} ${hgt}`, class: 'spark', role: 'img', 'aria-label': label })
  const deltas = values.slice(1).map((v, i) => Math.max(0, v - values[i]!))
  const max = Math.max(1, ...deltas)
  const step = deltas.length > 1 ? w / (deltas.length - 1) : w
  const points = deltas.map(
    (d, i) => `${(i * step).toFixed(1)},${(hgt - 2 - (d / max) * (hgt - 4)).toFixed(1)}`,
  )
  if (points.length > 0) box.append(svg('polyline', { points: points.join(' '), class: 'line' }))
  return box
}

/** #/health: totals from /metrics as small charts (sampled every 2 s while the page is open). */
export function healthPage(ctx: Ctx): HTMLElement {
  const tiles = h('div', { class: 'tiles' })
  const states = h('div', { class: 'states' })
  const messages = h('div', { class: 'tiles' })
  // Announced only when its message changes (not every 2 s with a new time).
  const status = h('p', { role: 'status', class: 'muted' })
  const updated = h('p', { class: 'muted' })
  const say = (text: string) => {
    if (status.textContent !== text) status.textContent = text
  }
  const metricsToken = input({
    type: 'password',
    name: 'metrics-token',
    autocomplete: 'off',
    value: sessionStorage.getItem(METRICS_KEY) ?? '',
  })
  metricsToken.addEventListener('change', () => sessionStorage.setItem(METRICS_KEY, metricsToken.value))
  const history = new Map<string, number[]>()
  const load = async () => {
    let text: string
    try {
      text = await api<string>('GET', 'metrics', {
        text: true,
        ...(metricsToken.value ? { as: { bearer: metricsToken.value } } : {}),
      })
      say('Charts show the increase every 2 s since this page opened.')
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`
    } catch (err) {
      say(
        `Cannot read /metrics: ${(err as Error).message}. Set the metrics token below if the gateway requires one.`,
      )
      return
    }
    const series = parseMetrics(text)
    fill(
      tiles,
      TOTALS.map((t) => {
        const value = t.pick(series, ctx)
        const values = [...(history.get(t.key) ?? []), value].slice(-90)
        history.set(t.key, values)
        return h(
          'figure',
          { class: 'tile', 'data-metric': t.key },
          h('figcaption', {}, t.label),
          h('strong', {}, value.toLocaleString()),
          sparkline(values, `${t.label}: increase per 2 seconds`),
        )
      }),
    )
    const byState = new Map<string, number>()
    for (const s of series)
      if (s.name === 'zapwire_session_state' && s.value === 1)
        byState.set(s.labels.state ?? '?', (byState.get(s.labels.state ?? '?') ?? 0) + 1)
    fill(
      states,
      byState.size === 0
        ? h('p', { class: 'muted' }, 'No session has started in this process yet.')
        : [...byState].map(([state, n]) => h('span', { class: 'state-count' }, badge(state), ` ${n}`)),
    )
    if (ctx.auth.role === 'admin') {
      const stats = await api<{ events: { by_type: Record<string, number> } }>('GET', 'admin/events/stats', {
        as: adminCred(ctx.auth),
      }).catch(() => undefined)
      const by = stats?.events.by_type ?? {}
      fill(
        messages,
        [
          ['Messages received', by['message.received'] ?? 0],
          ['Messages sent', by['message.sent'] ?? 0],
          ['Sends that failed', by['message.failed'] ?? 0],
        ].map(([label, n]) =>
          h(
            'figure',
            { class: 'tile' },
            h('figcaption', {}, String(label)),
            h('strong', {}, Number(n).toLocaleString()),
          ),
        ),
      )
    }
  }
  ctx.scope.every(2_000, load)
  return h(
    'section',
    { 'aria-labelledby': 'health-title' },
    h('h1', { id: 'health-title' }, 'Health'),
    status,
    updated,
    h('h2', {}, 'Totals since the gateway started'),
    tiles,
    h('h2', {}, 'Sessions by state'),
    states,
    ctx.auth.role === 'admin'
      ? [h('h2', {}, 'Messages (monitoring records, kept MONITORING_RETENTION_DAYS)'), messages]
      : null,
    h(
      'details',
      {},
      h('summary', {}, 'Metrics token'),
      field('Metrics token (ZAPWIRE_METRICS_TOKEN)', metricsToken),
    ),
  )
}

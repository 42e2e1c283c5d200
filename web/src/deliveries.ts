import { api, data } from './api.js'
import { field, fill, h, input, time } from './dom.js'
import { adminCred, type Ctx, instanceCred } from './scope.js'

interface Attempt {
  at: string
  sink: string
  transport: string
  event_id: string
  event_seq: number
  event_type: string
  attempt: number
  outcome: 'success' | 'retrying' | 'dlq'
  latency_ms: number
  error: string
}

interface DlqEvent {
  id: number
  transport: string
  event_type: string
  event_id: string
  attempts: number
  last_error: string
  failed_at: string
  replay_count: number
}

const cell = (label: string, ...content: (Node | string)[]) => h('td', { 'data-label': label }, ...content)
const localToIso = (v: string) => (v ? new Date(v).toISOString() : undefined)

/** The delivery log (every attempt), the DLQ with one-click redrive, and replay from a time. */
export function deliveriesTab(ctx: Ctx, id: string): HTMLElement {
  const admin = ctx.auth.role === 'admin'
  const attempts = h('tbody')
  const dlq = h('tbody')
  const message = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' })
  const from = input({ type: 'datetime-local', name: 'from' })
  const to = input({ type: 'datetime-local', name: 'to' })
  const since = input({ type: 'datetime-local', name: 'since' })
  let shown: DlqEvent[] = []

  const loadAttempts = async () => {
    const rows = await data<Attempt[]>('GET', 'dashboard/api/attempts', {
      as: admin ? adminCred(ctx.auth) : { user: ctx.auth.token },
      query: { user_id: admin ? id : undefined, limit: 100 },
    })
    fill(
      attempts,
      rows.map((a) =>
        h(
          'tr',
          { class: `outcome-${a.outcome}` },
          cell('When', time(a.at)),
          cell('Event', `${a.event_type} #${a.event_seq}`),
          cell('Sink', a.sink.split(':')[0] ?? a.sink),
          cell('Attempt', String(a.attempt)),
          cell(
            'Outcome',
            h('span', { class: `badge outcome-${a.outcome}` }, a.outcome === 'dlq' ? 'DLQ' : a.outcome),
          ),
          cell('Latency', `${a.latency_ms} ms`),
          cell('Response', a.error || '2xx'),
        ),
      ),
    )
    if (rows.length === 0)
      attempts.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No attempt yet.')))
  }

  const redrive = async (ids: number[]) => {
    let ok = 0
    const errors: string[] = []
    for (const one of ids) {
      try {
        await api('POST', 'admin/dlq/replay', { as: adminCred(ctx.auth), body: { id: one } })
        ok++
      } catch (err) {
        errors.push(`#${one}: ${(err as Error).message}`)
      }
    }
    message.textContent = `Redriven: ${ok} of ${ids.length}.${errors.length ? ` ${errors.join('; ')}` : ''}`
    await Promise.all([loadDlq(), loadAttempts()])
  }

  const loadDlq = async () => {
    if (!admin) return
    const res = await api<{ events: DlqEvent[]; total: number }>('GET', 'admin/dlq', {
      as: adminCred(ctx.auth),
      query: { user_id: id, from_date: localToIso(from.value), to_date: localToIso(to.value), limit: 100 },
    })
    shown = res.events
    fill(
      dlq,
      res.events.map((e) =>
        h(
          'tr',
          {},
          cell('Failed', time(e.failed_at)),
          cell('Event', e.event_type),
          cell('Transport', e.transport),
          cell('Attempts', String(e.attempts)),
          cell('Last error', e.last_error),
          cell(
            'Action',
            h(
              'button',
              {
                type: 'button',
                'aria-label': `Redrive DLQ entry ${e.id}`,
                onclick: () => void redrive([e.id]),
              },
              'Redrive',
            ),
          ),
        ),
      ),
    )
    if (res.events.length === 0)
      dlq.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'The DLQ is empty.')))
  }

  const replay = h(
    'form',
    { class: 'inline', 'aria-label': 'Replay events since a time' },
    field('Replay events since', since),
    h('button', { type: 'submit' }, 'Replay'),
  )
  replay.addEventListener('submit', async (event) => {
    event.preventDefault()
    try {
      const iso = localToIso(since.value)
      if (!iso) throw new Error('choose a time')
      await data('POST', 'webhook/replay', { as: await instanceCred(ctx.auth, id), body: { since: iso } })
      message.textContent = `Replaying every event since ${new Date(iso).toLocaleString()} to the webhook.`
    } catch (err) {
      message.textContent = `Not replayed: ${(err as Error).message}`
    }
  })
  ctx.scope.every(2_000, () => Promise.all([loadAttempts(), loadDlq()]))

  const head = (...cols: string[]) =>
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        cols.map((c) => h('th', { scope: 'col' }, c)),
      ),
    )
  return h(
    'div',
    { class: 'stack' },
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Delivery log'),
      h(
        'p',
        { class: 'muted' },
        'Every webhook and sink attempt this gateway process made (the newest 5,000 for all instances). Zapwire never reads the receiver’s response body: "Response" is the HTTP status or the network error.',
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'cards', 'aria-label': 'Delivery attempts' },
          head('When', 'Event', 'Sink', 'Attempt', 'Outcome', 'Latency', 'Response'),
          attempts,
        ),
      ),
    ),
    admin
      ? h(
          'div',
          { class: 'card' },
          h('h2', {}, 'Dead-letter queue'),
          h(
            'div',
            { class: 'toolbar' },
            field('Failed from', from),
            field('Failed until', to),
            h('button', { type: 'button', onclick: () => void loadDlq() }, 'Filter'),
            h(
              'button',
              { type: 'button', onclick: () => void redrive(shown.map((e) => e.id)) },
              'Redrive all listed',
            ),
          ),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'cards', 'aria-label': 'DLQ entries' },
              head('Failed', 'Event', 'Transport', 'Attempts', 'Last error', 'Action'),
              dlq,
            ),
          ),
        )
      : null,
    h('div', { class: 'card' }, h('h2', {}, 'Replay'), replay, message),
  )
}

import { data, wsUrl } from './api.js'
import { field, h, input } from './dom.js'
import { type Ctx, instanceCred } from './scope.js'

export interface ZapEvent {
  id: string
  seq: number
  event: string
  timestamp: string
  chat: string
  data: Record<string, unknown>
}

const KEEP = 300

/** A one-line summary of an event for the list. */
function summary(e: ZapEvent): string {
  const d = e.data
  const info = (d.Info ?? {}) as Record<string, unknown>
  if (e.event === 'Message') {
    const from = String(d.senderPn ?? d.sender ?? info.Sender ?? '').split('@')[0]
    const text =
      d.text ??
      d.caption ??
      (d.media ? `[${String((d.media as { mimetype?: string }).mimetype ?? 'media')}]` : '')
    return `${info.IsFromMe ? 'to' : 'from'} ${from || e.chat}: ${String(text ?? '')}`
  }
  if (e.event === 'ReadReceipt') return `${String(d.state ?? d.Type ?? 'receipt')} ${e.chat}`
  return e.chat ? e.chat : ''
}

/**
 * The live event inspector: the instance's events over the gateway's WebSocket (`/ws`), the last
 * 50 first, then as they happen; reconnects from the last seq it saw.
 */
export function eventsTab(ctx: Ctx, id: string): HTMLElement {
  const list = h('ol', { class: 'events', 'aria-label': 'Events, newest first' })
  const status = h('span', { class: 'live', role: 'status', 'aria-live': 'polite' }, 'connecting…')
  const filter = input({ type: 'search', name: 'type-filter', placeholder: 'Message, Connected…' })
  const pause = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause')
  let paused = false
  let lastSeq: number | undefined
  const held: ZapEvent[] = []
  const visible = (e: ZapEvent) => {
    const f = filter.value.trim().toLowerCase()
    return !f || f.split(',').some((t) => e.event.toLowerCase().includes(t.trim()))
  }
  const row = (e: ZapEvent) => {
    const li = h(
      'li',
      { 'data-type': e.event, 'data-seq': e.seq },
      h(
        'details',
        {},
        h(
          'summary',
          {},
          h('time', { datetime: e.timestamp }, new Date(e.timestamp).toLocaleTimeString()),
          h('strong', {}, e.event),
          h('span', { class: 'sum' }, summary(e)),
        ),
        h('pre', {}, JSON.stringify(e, null, 2)),
      ),
    )
    li.hidden = !visible(e)
    return li
  }
  const add = (e: ZapEvent) => {
    lastSeq = Math.max(lastSeq ?? 0, e.seq)
    if (paused) {
      held.push(e)
      pause.textContent = `Resume (${held.length} new)`
      return
    }
    list.prepend(row(e))
    while (list.children.length > KEEP) list.lastElementChild?.remove()
  }
  pause.addEventListener('click', () => {
    paused = !paused
    pause.setAttribute('aria-pressed', String(paused))
    pause.textContent = paused ? 'Resume' : 'Pause'
    if (!paused) for (const e of held.splice(0)) add(e)
  })
  filter.addEventListener('input', () => {
    for (const li of list.children) {
      const type = (li as HTMLElement).dataset.type ?? ''
      ;(li as HTMLElement).hidden = !visible({ event: type } as ZapEvent)
    }
  })
  let socket: WebSocket | undefined
  let retry = 0
  const open = async () => {
    if (ctx.scope.disposed) return
    const cred = await instanceCred(ctx.auth, id)
    const token = cred && 'user' in cred ? cred.user : ''
    if (lastSeq === undefined) {
      // Start with the last 15 minutes so the inspector is not empty, then live.
      const since = new Date(Date.now() - 15 * 60_000).toISOString()
      const first = await data<{ events: ZapEvent[] }>('GET', 'events', {
        as: cred,
        query: { since, limit: 1 },
      }).catch(() => undefined)
      const seq = first?.events[0]?.seq
      if (seq !== undefined) lastSeq = seq - 1
    }
    if (ctx.scope.disposed) return
    // The token goes in the first frame, never in the URL (URLs end up in access logs).
    const ws = new WebSocket(wsUrl('dashboard/api/events/ws', {}))
    socket = ws
    ws.onopen = () => {
      ws.send(JSON.stringify({ token, ...(lastSeq !== undefined ? { after: lastSeq } : {}) }))
    }
    ws.onmessage = (m) => {
      let message: unknown
      try {
        message = JSON.parse(String(m.data))
      } catch {
        return // not JSON
      }
      if ((message as { ready?: boolean }).ready === true) {
        retry = 0
        status.textContent = 'live'
        status.className = 'live on'
        return
      }
      add(message as ZapEvent)
    }
    ws.onclose = (close) => {
      if (ctx.scope.disposed) return
      status.textContent = close.code === 4401 ? 'the token was refused; retrying…' : 'reconnecting…'
      status.className = 'live'
      window.setTimeout(() => void open().catch(() => undefined), Math.min(10_000, 500 * 2 ** retry++))
    }
  }
  void open().catch((err) => (status.textContent = `cannot connect: ${(err as Error).message}`))
  ctx.scope.onDispose(() => socket?.close())
  return h(
    'div',
    { class: 'card' },
    h('div', { class: 'title-row' }, h('h2', {}, 'Live events'), status),
    h(
      'div',
      { class: 'toolbar' },
      field('Filter by type', filter),
      pause,
      h('button', { type: 'button', onclick: () => list.replaceChildren() }, 'Clear'),
    ),
    list,
  )
}

import { data } from './api.js'
import { badge, field, fill, h, time } from './dom.js'
import { adminCred, type Ctx } from './scope.js'

export interface Instance {
  id: string
  serial: number
  name: string
  jid: string
  lid: string
  state: string
  since: string
  lastInboundAt: string | null
  lastConnectedAt: string | null
  reconnects: number
  webhook: string
  events: string
}

const STATES = [
  'connected',
  'qr',
  'connecting',
  'reconnecting',
  'disconnected',
  'logged_out',
  'replaced',
  'banned',
  'outdated',
  'failed',
]
const PAGE = 25

export const phoneOf = (jid: string) => (jid ? `+${jid.split(/[@:]/)[0]}` : '—')

/** Every instance with its live state: searched, filtered by state, paged; refreshed every 3 s. */
export function instancesPage(ctx: Ctx): HTMLElement {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '')
  let offset = Number(params.get('offset') ?? 0) || 0
  const search = h('input', {
    type: 'search',
    name: 'search',
    value: params.get('q') ?? '',
    placeholder: 'name, id or phone',
  })
  const state = h(
    'select',
    { name: 'state' },
    h('option', { value: '' }, 'any state'),
    STATES.map((s) => h('option', { value: s }, s.replace('_', ' '))),
  )
  state.value = params.get('state') ?? ''
  const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' })
  const body = h('tbody')
  const prev = h('button', { type: 'button', 'aria-label': 'Previous page' }, '‹ Previous')
  const next = h('button', { type: 'button', 'aria-label': 'Next page' }, 'Next ›')
  let asked = 0
  const load = async () => {
    const mine = ++asked
    const page = await data<{ items: Instance[]; total: number }>('GET', 'dashboard/api/instances', {
      as: adminCred(ctx.auth),
      query: { search: search.value.trim(), state: state.value, limit: PAGE, offset },
    })
    // A slower, older answer (a 3 s refresh overtaken by typing) must not replace a newer one.
    if (mine !== asked || ctx.scope.disposed) return
    fill(
      body,
      page.items.map((i) =>
        h(
          'tr',
          {},
          h(
            'td',
            { 'data-label': 'Name' },
            h('a', { href: `#/i/${encodeURIComponent(i.id)}` }, i.name || `#${i.serial}`),
          ),
          h('td', { 'data-label': 'State' }, badge(i.state)),
          h('td', { 'data-label': 'Since' }, time(i.since)),
          h('td', { 'data-label': 'Last inbound' }, time(i.lastInboundAt)),
          h('td', { 'data-label': 'Reconnects' }, i.reconnects),
          h('td', { 'data-label': 'Phone' }, phoneOf(i.jid)),
        ),
      ),
    )
    if (page.items.length === 0)
      body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No instance matches.')))
    const text = page.total
      ? `Showing ${offset + 1}–${offset + page.items.length} of ${page.total}`
      : 'No instances'
    // A live region: rewritten only when it says something new (not on every 3 s refresh).
    if (status.textContent !== text) status.textContent = text
    prev.disabled = offset === 0
    next.disabled = offset + page.items.length >= page.total
  }
  const show = () =>
    void load().catch((err) => (status.textContent = `Could not load: ${(err as Error).message}`))
  const reload = () => {
    offset = 0
    show()
  }
  let debounce = 0
  search.addEventListener('input', () => {
    window.clearTimeout(debounce)
    debounce = window.setTimeout(reload, 250)
  })
  state.addEventListener('change', reload)
  prev.addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE)
    show()
  })
  next.addEventListener('click', () => {
    offset += PAGE
    show()
  })
  ctx.scope.every(3_000, load)
  return h(
    'section',
    { 'aria-labelledby': 'instances-title' },
    h(
      'div',
      { class: 'title-row' },
      h('h1', { id: 'instances-title' }, 'Instances'),
      h('a', { href: '#/new', class: 'button primary' }, 'New instance'),
    ),
    h('div', { class: 'toolbar' }, field('Search instances', search), field('State', state)),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'cards' },
        h('caption', { class: 'sr-only' }, 'Instances and their WhatsApp session state'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Name', 'State', 'Since', 'Last inbound', 'Reconnects', 'Phone'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        body,
      ),
    ),
    h('div', { class: 'pager' }, prev, status, next),
  )
}

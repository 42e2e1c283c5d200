import { ApiError, data } from './api.js'
import { deliveriesTab } from './deliveries.js'
import { badge, field, fill, h, input, time } from './dom.js'
import { eventsTab } from './events.js'
import { timelineTab } from './health.js'
import { type Instance, phoneOf } from './instances.js'
import { adminCred, type Ctx, instanceCred } from './scope.js'
import { settingsTab } from './settings.js'

const TABS: [string, string][] = [
  ['overview', 'Status & pairing'],
  ['settings', 'Settings'],
  ['try', 'Try it'],
  ['events', 'Events'],
  ['deliveries', 'Deliveries'],
  ['timeline', 'Health'],
]

interface Status {
  state: string
  since: string
  lastInboundAt: string | null
  reconnects: number
  jid: string
  lid: string
  name: string
  qrcode: string
  qrcode_text: string
  LoggedIn: boolean
}

/** #/i/<id>/<tab>: one instance, its state always in view. */
export function instancePage(ctx: Ctx, id: string, tab: string): HTMLElement {
  const heading = h('h1', { id: 'instance-title' }, 'Instance')
  // The header shows "since 5 s ago", which changes every second: not a live region (a screen
  // reader would read it out on every refresh). State changes are announced once, below.
  const state = h('span', { id: 'instance-state' })
  const announce = h('span', { id: 'instance-announce', class: 'sr-only', role: 'status' })
  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': 'Instance sections' },
    TABS.map(([key, label]) =>
      h(
        'a',
        { href: `#/i/${encodeURIComponent(id)}/${key}`, 'aria-current': key === tab ? 'page' : undefined },
        label,
      ),
    ),
  )
  let announced = ''
  const showState = (value: string, since: string) => {
    fill(state, badge(value), ' since ', time(since))
    if (announced && announced !== value) announce.textContent = `State: ${badge(value).textContent}`
    announced = value
  }
  const refreshHeader = async () => {
    // One row by id (not a search through every instance): cheap with hundreds of them.
    const me = await data<Instance>('GET', `dashboard/api/instances/${encodeURIComponent(id)}`, {
      as: ctx.auth.role === 'admin' ? adminCred(ctx.auth) : { user: ctx.auth.token },
    })
    heading.textContent = me.name || `Instance #${me.serial}`
    document.title = `${heading.textContent} · Zapwire`
    showState(me.state, me.since)
  }
  ctx.scope.every(3_000, refreshHeader)
  const body =
    tab === 'settings'
      ? settingsTab(ctx, id)
      : tab === 'try'
        ? tryTab(ctx, id)
        : tab === 'events'
          ? eventsTab(ctx, id)
          : tab === 'deliveries'
            ? deliveriesTab(ctx, id)
            : tab === 'timeline'
              ? timelineTab(ctx, id)
              : overviewTab(ctx, id, showState)
  return h(
    'section',
    { 'aria-labelledby': 'instance-title' },
    h('div', { class: 'title-row' }, heading, state, announce),
    tabs,
    h('div', { class: 'tab-body' }, body),
  )
}

function dl(rows: [string, Node | string][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  )
}

/** Live state and pairing: connect and watch the QR rotate, or ask for a pairing code. */
function overviewTab(ctx: Ctx, id: string, showState: (state: string, since: string) => void): HTMLElement {
  const facts = h('div', {})
  const pairing = h('div', { class: 'pairing', 'aria-live': 'polite' })
  const message = h('p', { role: 'status', class: 'muted' })
  const phone = input({ name: 'phone', inputmode: 'tel', autocomplete: 'tel', placeholder: '5511999990000' })
  const code = h('output', { class: 'code', 'aria-label': 'Pairing code' })
  let last: Status | undefined
  const act = (label: string, path: string, body?: unknown) =>
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          message.textContent = `${label}…`
          try {
            await data('POST', path, { as: await instanceCred(ctx.auth, id), body })
            message.textContent = `${label}: done.`
            await refresh()
          } catch (err) {
            message.textContent = `${label} failed: ${(err as Error).message}`
          }
        },
      },
      label,
    )
  const connect = act('Connect', 'session/connect', { Immediate: true })
  connect.classList.add('primary')
  const pairForm = h(
    'form',
    { class: 'inline', 'aria-label': 'Link with a pairing code' },
    field('Phone number (country code, digits only)', phone),
    h('button', { type: 'submit' }, 'Request pairing code'),
    code,
  )
  pairForm.addEventListener('submit', async (event) => {
    event.preventDefault()
    message.textContent = 'Asking WhatsApp for a code…'
    try {
      const res = await data<{ LinkingCode: string }>('POST', 'session/pairphone', {
        as: await instanceCred(ctx.auth, id),
        body: { Phone: phone.value.replace(/\D/g, '') },
      })
      code.textContent = res.LinkingCode
      message.textContent = 'On the phone: Linked devices → Link with phone number, then enter this code.'
    } catch (err) {
      message.textContent = `No code: ${(err as Error).message}`
    }
  })
  const refresh = async () => {
    const s = await data<Status>('GET', 'session/status', { as: await instanceCred(ctx.auth, id) })
    fill(
      facts,
      dl([
        ['State', badge(s.state)],
        ['Since', time(s.since)],
        ['Last inbound event', time(s.lastInboundAt)],
        ['Reconnects', String(s.reconnects)],
        ['Phone', phoneOf(s.jid)],
        ['LID', s.lid || '—'],
      ]),
    )
    showState(s.state, s.since)
    const changed = !last || last.state !== s.state || last.qrcode_text !== s.qrcode_text
    last = s
    if (!changed) return
    if (s.state === 'connected') {
      fill(
        pairing,
        h('p', { class: 'ok big' }, `Connected as ${phoneOf(s.jid)}`),
        h(
          'div',
          { class: 'actions' },
          act('Disconnect', 'session/disconnect'),
          act('Log out', 'session/logout'),
        ),
      )
    } else if (s.state === 'qr' && s.qrcode) {
      fill(
        pairing,
        h('p', {}, 'Scan with WhatsApp on the phone: Settings → Linked devices → Link a device.'),
        h('img', {
          class: 'qr',
          src: s.qrcode,
          alt: 'QR code to link WhatsApp',
          'data-qr': s.qrcode_text,
          width: 264,
          height: 264,
        }),
        h(
          'p',
          { class: 'muted' },
          'The code rotates by itself; this page turns to connected when the phone approves.',
        ),
        pairForm,
      )
    } else if (s.state === 'connecting' || s.state === 'reconnecting') {
      fill(pairing, h('p', {}, `${s.state === 'connecting' ? 'Connecting' : 'Reconnecting'} to WhatsApp…`))
    } else {
      fill(
        pairing,
        h('p', {}, 'Not connected. Connect to show a QR code, or link with a pairing code.'),
        h('div', { class: 'actions' }, connect),
        pairForm,
      )
    }
  }
  ctx.scope.every(1_000, refresh)
  const danger =
    ctx.auth.role === 'admin'
      ? h(
          'details',
          { class: 'danger' },
          h('summary', {}, 'Delete this instance'),
          h('p', {}, 'Deleting keeps the device linked on the phone unless you also unlink it.'),
          h(
            'div',
            { class: 'actions' },
            ...[
              ['Delete', ''],
              ['Delete and unlink from the phone', '/full'],
            ].map(([label, suffix]) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  onclick: async () => {
                    if (!confirm(`${label}? This cannot be undone.`)) return
                    try {
                      await data('DELETE', `admin/users/${encodeURIComponent(id)}${suffix}`, {
                        as: adminCred(ctx.auth),
                      })
                      ctx.go('#/instances')
                    } catch (err) {
                      message.textContent = `Not deleted: ${(err as Error).message}`
                    }
                  },
                },
                label!,
              ),
            ),
          ),
        )
      : null
  return h(
    'div',
    { class: 'grid2' },
    h('div', { class: 'card' }, h('h2', {}, 'Session'), facts),
    h('div', { class: 'card' }, h('h2', {}, 'Pairing'), pairing, message),
    danger,
  )
}

const readFile = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })

/** Send a text or a file to a number and see what the gateway answered. */
function tryTab(ctx: Ctx, id: string): HTMLElement {
  const phone = input({ name: 'to', inputmode: 'tel', required: true, placeholder: '5511999990000' })
  const text = h('textarea', { name: 'body', rows: 3 })
  const file = h('input', { type: 'file', name: 'file' })
  const result = h('pre', { class: 'result', role: 'status', 'aria-live': 'polite' })
  const send = async (kind: 'text' | 'file') => {
    result.textContent = 'Sending…'
    const to = phone.value.replace(/[^\d@.a-z-]/gi, '')
    try {
      const as = await instanceCred(ctx.auth, id)
      let res: unknown
      if (kind === 'text') {
        res = await data('POST', 'chat/send/text', { as, body: { Phone: to, Body: text.value } })
      } else {
        const f = file.files?.[0]
        if (!f) throw new Error('choose a file first')
        const dataUrl = await readFile(f)
        const caption = text.value || undefined
        res = f.type.startsWith('image/')
          ? await data('POST', 'chat/send/image', {
              as,
              body: { Phone: to, Image: dataUrl, Caption: caption },
            })
          : await data('POST', 'chat/send/document', {
              as,
              body: {
                Phone: to,
                Document: dataUrl,
                FileName: f.name,
                Caption: caption,
                MimeType: f.type || undefined,
              },
            })
      }
      result.className = 'result ok'
      result.textContent = `Sent\n${JSON.stringify(res, null, 2)}`
    } catch (err) {
      result.className = 'result error'
      result.textContent = `Not sent (${err instanceof ApiError ? err.status : 'error'}): ${(err as Error).message}`
    }
  }
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Send a message' },
    field('Phone number', phone, 'Country code and number, digits only (or a group JID).'),
    field('Message (or caption)', text),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Send text')),
    field('File', file, 'Images are sent as images, anything else as a document.'),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => void send('file') }, 'Send file'),
    ),
    result,
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void send('text')
  })
  return form
}

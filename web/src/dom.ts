/** A tiny element builder: `h('button', { type: 'button', onclick: fn }, 'Save')`. */
type Attr = string | number | boolean | null | undefined | ((event: Event) => void)
export type Child = Node | string | number | null | undefined | false

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (typeof value === 'function') el.addEventListener(key.slice(2), value)
    else if (value === true) el.setAttribute(key, '')
    else el.setAttribute(key, String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    el.append(typeof child === 'number' ? String(child) : child)
  }
  return el
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren()
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    el.append(typeof child === 'number' ? String(child) : child)
  }
}

let ids = 0
/** A labelled form control: `<label for>` + the control, wrapped in a field div. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): HTMLElement {
  if (!control.id) control.id = `f${++ids}`
  const isCheck = control instanceof HTMLInputElement && control.type === 'checkbox'
  const hintEl = hint ? h('small', { id: `${control.id}-hint`, class: 'hint' }, hint) : null
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id)
  return isCheck
    ? h('div', { class: 'field check' }, control, h('label', { for: control.id }, label), hintEl)
    : h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl)
}

export const input = (attrs: Record<string, Attr> = {}) => h('input', { type: 'text', ...attrs })
export const checkbox = (name: string, checked: boolean) => h('input', { type: 'checkbox', name, checked })

/** "3 min ago", "in 2 s": for a timestamp (ISO or ms). */
export function ago(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const t = typeof value === 'number' ? value : Date.parse(value)
  if (!Number.isFinite(t)) return '—'
  const s = Math.round((Date.now() - t) / 1000)
  const abs = Math.abs(s)
  const text =
    abs < 60
      ? `${abs} s`
      : abs < 3600
        ? `${Math.floor(abs / 60)} min`
        : abs < 86400
          ? `${Math.floor(abs / 3600)} h`
          : `${Math.floor(abs / 86400)} d`
  return s >= 0 ? `${text} ago` : `in ${text}`
}

export function time(value: string | null | undefined): HTMLElement {
  if (!value) return h('span', {}, '—')
  return h('time', { datetime: value, title: new Date(value).toLocaleString() }, ago(value))
}

/** A coloured state badge (connected, qr, reconnecting, logged_out…). */
const LABELS: Record<string, string> = { qr: 'QR shown', dlq: 'DLQ', logged_out: 'logged out' }
export function badge(state: string): HTMLElement {
  return h('span', { class: `badge state-${state}` }, LABELS[state] ?? state.replace('_', ' '))
}

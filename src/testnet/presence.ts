import type { BinaryNode } from 'baileys'
import { type Account, type Device, lidJid, maySee, pnJid } from './accounts.js'
import { now, type TestNetwork } from './network.js'

const address = (account: Account, form: 'pn' | 'lid') =>
  form === 'lid' ? lidJid(account.lid) : pnJid(account.phone)

/** `<presence>` (subscribe, available, unavailable) and `<chatstate>` from a device. */
export function onPresence(net: TestNetwork, account: Account, device: Device, node: BinaryNode): void {
  const { type, to } = node.attrs
  if (node.tag === 'chatstate') {
    const target = to ? net.accounts.resolve(to) : undefined
    if (!target) return
    const from = address(account, target.server)
    for (const d of target.account.devices.values()) {
      net.deliver(d, { tag: 'chatstate', attrs: { from }, content: node.content })
    }
    return
  }
  if (type === 'subscribe' && to) {
    const target = net.accounts.resolve(to)
    if (!target) return
    target.account.watchers.set(device, target.server)
    net.deliver(device, presenceNode(target.account, target.server, account))
    return
  }
  if (type === 'available' || type === 'unavailable') setPresence(net, account, type)
}

/** Changes an account's presence and tells every device subscribed to it. */
export function setPresence(net: TestNetwork, account: Account, type: 'available' | 'unavailable'): void {
  account.presence = { type, last: Math.floor(Date.now() / 1000) }
  for (const [watcher, form] of account.watchers) {
    const viewer = net.accounts.all().find((a) => [...a.devices.values()].includes(watcher))
    // Someone this account blocked (or who blocked it) gets no presence at all.
    if (viewer && (account.blocked.has(viewer) || viewer.blocked.has(account))) continue
    net.deliver(watcher, presenceNode(account, form, viewer))
  }
}

/** The account's presence for `viewer`: its last seen only when its `last` privacy lets it. */
function presenceNode(account: Account, form: 'pn' | 'lid', viewer: Account | undefined): BinaryNode {
  const attrs: Record<string, string> = { from: address(account, form), type: account.presence.type }
  if (account.presence.type === 'unavailable')
    attrs.last = maySee(account, viewer, 'last') ? String(account.presence.last) : 'deny'
  return { tag: 'presence', attrs: { ...attrs, t: now() } }
}

import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren } from 'baileys'
import { type Account, lidJid, pnJid } from './accounts.js'
import type { ChatConnection } from './connection.js'
import { relayStatus } from './extras.js'
import { answerMediaRetry } from './media-retry.js'
import { now, type TestNetwork } from './network.js'
import { phoneReceives } from './phone.js'

/** The sender's device address in the addressing (PN or LID) its recipient used, plus the other. */
function senderAddress(
  account: Account,
  device: number,
  lid: boolean,
): { from: string; alt: Record<string, string> } {
  return lid
    ? { from: lidJid(account.lid, device), alt: { sender_pn: pnJid(account.phone) } }
    : { from: pnJid(account.phone, device), alt: { sender_lid: lidJid(account.lid) } }
}

/**
 * Routes a 1:1 message: each `<to jid=device>` gets its own ciphertext, untouched, as a
 * `<message from=sender>`; the sender's other devices get theirs with `recipient=<chat>`.
 */
export function relayMessage(net: TestNetwork, conn: ChatConnection, message: BinaryNode): void {
  const account = conn.account!
  const device = conn.device!
  const { id = '', to = '', type = 'text' } = message.attrs
  const chat = net.accounts.resolve(to)
  const refuse = device.faults.refuse
  if (refuse && refuse.count-- > 0) {
    conn.send({ tag: 'ack', attrs: { class: 'message', id, from: to, t: now(), error: String(refuse.code) } })
    return
  }
  if (to.endsWith('@g.us')) {
    relayGroupMessage(net, conn, message)
    return
  }
  if (to.endsWith('@newsletter')) {
    net.newsletters.onMessage(conn, message)
    return
  }
  if (to === 'status@broadcast') {
    relayStatus(net, conn, message)
    return
  }
  conn.send({ tag: 'ack', attrs: { class: 'message', id, from: to, t: now() } })
  if (!chat) return
  const identity = getBinaryNodeChild(message, 'device-identity')
  const targets = getBinaryNodeChildren(getBinaryNodeChild(message, 'participants'), 'to').map((node) => ({
    jid: node.attrs.jid ?? '',
    enc: getBinaryNodeChildren(node, 'enc'),
  }))
  // A retry or peer message carries its `<enc>` directly and names the device in `to`.
  const direct = getBinaryNodeChildren(message, 'enc')
  if (direct.length > 0) targets.push({ jid: to, enc: direct })
  const { from, alt } = senderAddress(account, device.id, chat.server === 'lid')
  for (const target of targets) {
    const found = net.accounts.resolve(target.jid)
    const targetDevice = found?.account.devices.get(found.device)
    if (found?.account === account && found.device === 0 && !targetDevice) {
      // A peer message to the phone (a placeholder-resend request…): the phone answers it.
      phoneReceives(net, account, device.id, id, target.enc).catch((err) =>
        net.log.warn({ err }, 'the phone could not read a peer message'),
      )
      continue
    }
    if (!found || !targetDevice || target.enc.length === 0) continue
    // A blocked sender's message is accepted (one tick) but never delivered.
    if (found.account.blocked.has(account)) continue
    const ownDevice = found.account === account
    net.deliver(targetDevice, {
      tag: 'message',
      attrs: {
        from,
        id,
        t: now(),
        type,
        notify: account.name,
        ...alt,
        ...(ownDevice ? { recipient: to } : {}),
      },
      content: [...target.enc, ...(identity ? [identity] : [])],
    })
  }
}

/**
 * Fans a group message out: every member device but the sender's gets its own `<enc>` from
 * `<participants>` (the sender-key distribution, first) followed by the shared `skmsg`.
 */
function relayGroupMessage(net: TestNetwork, conn: ChatConnection, message: BinaryNode): void {
  const account = conn.account!
  const device = conn.device!
  const { id = '', to = '', type = 'text' } = message.attrs
  const group = net.groups.get(to)
  const role = group?.members.get(account)
  const refused = !group || role === undefined || (group.announce && role === null)
  conn.send({
    tag: 'ack',
    attrs: { class: 'message', id, from: to, t: now(), ...(refused ? { error: '403' } : {}) },
  })
  if (!group || refused) return
  const identity = getBinaryNodeChild(message, 'device-identity')
  const shared = getBinaryNodeChildren(message, 'enc')
  const personal = new Map<string, BinaryNode[]>()
  for (const node of getBinaryNodeChildren(getBinaryNodeChild(message, 'participants'), 'to')) {
    const found = net.accounts.resolve(node.attrs.jid ?? '')
    if (found) personal.set(`${found.account.phone}:${found.device}`, getBinaryNodeChildren(node, 'enc'))
  }
  for (const member of group.members.keys()) {
    for (const target of member.devices.values()) {
      if (member === account && target.id === device.id) continue
      const own = personal.get(`${member.phone}:${target.id}`) ?? []
      net.deliver(target, {
        tag: 'message',
        attrs: {
          from: to,
          participant: pnJid(account.phone, device.id),
          participant_lid: lidJid(account.lid, device.id),
          addressing_mode: 'pn',
          id,
          t: now(),
          type,
          notify: account.name,
        },
        content: [...own, ...shared, ...(identity && own.length > 0 ? [identity] : [])],
      })
    }
  }
}

/** Routes a receipt to the devices of the message's sender (`inactive` counts as delivery). */
export function relayReceipt(net: TestNetwork, conn: ChatConnection, receipt: BinaryNode): void {
  const account = conn.account!
  const { id = '', to = '', type, participant } = receipt.attrs
  conn.send({ tag: 'ack', attrs: { class: 'receipt', id, from: to, ...(type ? { type } : {}) } })
  if (type === 'server-error') {
    answerMediaRetry(net, conn, receipt)
    return
  }
  if (to.endsWith('@newsletter')) {
    net.newsletters.onReceipt(conn, receipt)
    return
  }
  if (to.endsWith('@g.us')) {
    const author = participant ? net.accounts.resolve(participant) : undefined
    if (!author || type === 'read-self') return
    const attrs = {
      from: to,
      participant: pnJid(account.phone),
      id,
      t: now(),
      ...(type && type !== 'inactive' ? { type } : {}),
    }
    for (const d of author.account.devices.values())
      net.deliver(d, { tag: 'receipt', attrs, content: receipt.content })
    return
  }
  const target = net.accounts.resolve(to)
  // `read-self` tells the reader's own devices; the sender never learns of it.
  if (!target || type === 'read-self') return
  const lid = target.server === 'lid'
  const attrs: Record<string, string> = {
    from: lid ? lidJid(account.lid) : pnJid(account.phone),
    id,
    t: now(),
    ...(type && type !== 'inactive' ? { type } : {}),
  }
  const devices = target.device
    ? [target.account.devices.get(target.device)].filter((d) => d !== undefined)
    : [...target.account.devices.values()]
  for (const device of devices) {
    net.deliver(device, { tag: 'receipt', attrs, content: receipt.content })
  }
}

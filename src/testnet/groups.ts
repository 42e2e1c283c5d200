import { randomBytes, randomInt } from 'node:crypto'
import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren } from 'baileys'
import { type Account, lidJid, pnJid } from './accounts.js'
import type { ChatConnection } from './connection.js'
import { now, type TestNetwork } from './network.js'

export type Role = 'superadmin' | 'admin' | null

export interface Group {
  id: string
  subject: string
  subjectOwner: Account
  subjectTime: string
  creation: string
  creator: Account
  description: string
  inviteCode: string
  announce: boolean
  locked: boolean
  picture: { id: string; url: string } | undefined
  members: Map<Account, Role>
}

const children = (node: BinaryNode | undefined): BinaryNode[] =>
  Array.isArray(node?.content) ? node.content : []
const text = (node: BinaryNode | undefined) =>
  node?.content instanceof Uint8Array ? Buffer.from(node.content).toString() : String(node?.content ?? '')
const forbidden = (): BinaryNode[] => [{ tag: 'error', attrs: { code: '403', text: 'forbidden' } }]
const notFound = (): BinaryNode[] => [{ tag: 'error', attrs: { code: '404', text: 'item-not-found' } }]

/** Groups: their state, the `w:g2` IQs that read and change it, and the `w:gp2` notifications. */
export class Groups {
  private readonly byId = new Map<string, Group>()

  constructor(private readonly net: TestNetwork) {}

  get(jid: string): Group | undefined {
    return this.byId.get(jid.split('@')[0] ?? '')
  }

  /** Answers a `w:g2` IQ from `actor`; returns the result's children. */
  answer(conn: ChatConnection, iq: BinaryNode): BinaryNode[] | undefined {
    const actor = conn.account
    const [op] = children(iq)
    if (!actor || !op) return undefined
    const to = iq.attrs.to ?? ''
    if (to === '@g.us' || to === 'g.us') return this.onGroupsServer(actor, iq.attrs.type ?? '', op)
    const group = this.get(to)
    if (!group) return notFound()
    const role = group.members.get(actor)
    if (role === undefined) return forbidden()
    const admin = role !== null
    switch (op.tag) {
      case 'query':
        return [this.node(group)]
      case 'invite':
        if (iq.attrs.type === 'set') {
          if (!admin) return forbidden()
          group.inviteCode = randomBytes(16).toString('base64url').slice(0, 22)
        }
        return [{ tag: 'invite', attrs: { code: group.inviteCode } }]
      case 'add':
      case 'remove':
      case 'promote':
      case 'demote':
        return admin ? this.changeMembers(group, actor, op) : forbidden()
      case 'subject':
        if (group.locked && !admin) return forbidden()
        group.subject = text(op)
        group.subjectOwner = actor
        group.subjectTime = now()
        this.notify(group, actor, {
          tag: 'subject',
          attrs: { subject: group.subject, s_t: group.subjectTime, s_o: pnJid(actor.phone) },
        })
        return undefined
      case 'description':
        if (group.locked && !admin) return forbidden()
        group.description = text(getBinaryNodeChild(op, 'body'))
        this.notify(group, actor, {
          tag: 'description',
          attrs: { id: randomBytes(8).toString('hex') },
          content: [{ tag: 'body', attrs: {}, content: group.description }],
        })
        return undefined
      case 'announcement':
      case 'not_announcement':
      case 'locked':
      case 'unlocked':
        if (!admin) return forbidden()
        if (op.tag.endsWith('announcement')) group.announce = op.tag === 'announcement'
        else group.locked = op.tag === 'locked'
        this.notify(group, actor, { tag: op.tag, attrs: {} })
        return undefined
      default:
        return undefined
    }
  }

  private onGroupsServer(actor: Account, type: string, op: BinaryNode): BinaryNode[] | undefined {
    if (op.tag === 'create') return [this.create(actor, op)]
    if (op.tag === 'participating') {
      const mine = [...this.byId.values()].filter((g) => g.members.has(actor))
      return [{ tag: 'groups', attrs: {}, content: mine.map((g) => this.node(g)) }]
    }
    if (op.tag === 'leave') {
      for (const { attrs } of getBinaryNodeChildren(op, 'group')) {
        const group = this.get(attrs.id ?? '')
        if (!group?.members.has(actor)) continue
        this.notify(group, actor, { tag: 'leave', attrs: {}, content: [this.participant(actor)] })
        group.members.delete(actor)
      }
      return undefined
    }
    if (op.tag === 'invite' && op.attrs.code) {
      const group = [...this.byId.values()].find((g) => g.inviteCode === op.attrs.code)
      if (!group) return notFound()
      if (type === 'get') return [this.node(group)]
      if (!group.members.has(actor)) {
        group.members.set(actor, null)
        this.notify(group, actor, {
          tag: 'add',
          attrs: { reason: 'invite' },
          content: [this.participant(actor)],
        })
      }
      return [{ tag: 'group', attrs: { jid: `${group.id}@g.us` } }]
    }
    return undefined
  }

  private create(creator: Account, op: BinaryNode): BinaryNode {
    let id: string
    do id = `120363${String(randomInt(10 ** 11, 10 ** 12))}`
    while (this.byId.has(id))
    const group: Group = {
      id,
      subject: op.attrs.subject ?? '',
      subjectOwner: creator,
      subjectTime: now(),
      creation: now(),
      creator,
      description: '',
      inviteCode: randomBytes(16).toString('base64url').slice(0, 22),
      announce: false,
      locked: false,
      picture: undefined,
      members: new Map([[creator, 'superadmin']]),
    }
    for (const { attrs } of getBinaryNodeChildren(op, 'participant')) {
      const found = this.net.accounts.resolve(attrs.jid ?? '')
      if (found && !group.members.has(found.account)) group.members.set(found.account, null)
    }
    this.byId.set(id, group)
    const node = this.node(group)
    this.notify(group, creator, { tag: 'create', attrs: {}, content: [node] })
    return node
  }

  private changeMembers(group: Group, actor: Account, op: BinaryNode): BinaryNode[] {
    const results: BinaryNode[] = []
    const changed: Account[] = []
    for (const { attrs } of getBinaryNodeChildren(op, 'participant')) {
      const jid = attrs.jid ?? ''
      const found = this.net.accounts.resolve(jid)
      const member = found && group.members.has(found.account)
      let error: string | undefined
      if (!found) error = '404'
      else if (op.tag === 'add') {
        if (member) error = '409'
        else group.members.set(found.account, null)
      } else if (!member) error = '404'
      else if (op.tag === 'remove') group.members.delete(found.account)
      else group.members.set(found.account, op.tag === 'promote' ? 'admin' : null)
      if (found && !error) changed.push(found.account)
      results.push({ tag: 'participant', attrs: { jid, ...(error ? { error } : {}) } })
    }
    if (changed.length > 0) {
      // A removed member is told too, so it learns it left.
      const audience = op.tag === 'remove' ? changed : []
      this.notify(
        group,
        actor,
        { tag: op.tag, attrs: {}, content: changed.map((a) => this.participant(a)) },
        audience,
      )
    }
    return [{ tag: op.tag, attrs: {}, content: results }]
  }

  /** A `w:gp2` notification to every member's devices (and to `extra` accounts). */
  private notify(group: Group, actor: Account, child: BinaryNode, extra: Account[] = []) {
    const audience = new Set([...group.members.keys(), ...extra])
    for (const account of audience) {
      for (const device of account.devices.values()) {
        this.net.deliver(device, {
          tag: 'notification',
          attrs: {
            from: `${group.id}@g.us`,
            type: 'w:gp2',
            id: this.net.nextId(),
            t: now(),
            participant: pnJid(actor.phone),
            participant_lid: lidJid(actor.lid),
            notify: actor.name,
          },
          content: [child],
        })
      }
    }
  }

  private participant(account: Account, role?: Role): BinaryNode {
    return {
      tag: 'participant',
      attrs: { jid: pnJid(account.phone), lid: lidJid(account.lid), ...(role ? { type: role } : {}) },
    }
  }

  /** The `<group>` node Baileys' `extractGroupMetadata` reads. */
  node(group: Group): BinaryNode {
    const content: BinaryNode[] = [...group.members].map(([account, role]) => this.participant(account, role))
    if (group.description) {
      content.push({
        tag: 'description',
        attrs: { id: 'desc', participant: pnJid(group.creator.phone), t: group.creation },
        content: [{ tag: 'body', attrs: {}, content: group.description }],
      })
    }
    if (group.announce) content.push({ tag: 'announcement', attrs: {} })
    if (group.locked) content.push({ tag: 'locked', attrs: {} })
    return {
      tag: 'group',
      attrs: {
        id: group.id,
        subject: group.subject,
        s_t: group.subjectTime,
        s_o: pnJid(group.subjectOwner.phone),
        creation: group.creation,
        creator: pnJid(group.creator.phone),
        size: String(group.members.size),
      },
      content,
    }
  }
}

import { randomBytes, randomInt } from 'node:crypto'
import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren } from 'baileys'
import { type Account, lidJid, pnJid } from './accounts.js'
import { changeLinks, createGeneralChat, readsCommunity, requestedParent, subGroups } from './communities.js'
import type { ChatConnection } from './connection.js'
import { children, forbidden, groupNode, notFound, participant, requester, text } from './group-nodes.js'
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
  /** Disappearing-message timer in seconds (0: off). */
  ephemeral: number
  /** New members by invite link wait for an admin's approval. */
  joinApproval: boolean
  /** Pending requests to join, with when they were made (unix seconds). */
  requests: Map<Account, string>
  /** Every member may add members (else admins only). */
  allMembersAdd: boolean
  /** A community's parent group. */
  isParent: boolean
  /** A community's announcement group. */
  isDefaultSubGroup: boolean
  /** The community (parent group id) this group is linked to. */
  linkedParent: string | undefined
}

/** Groups: their state, the `w:g2` IQs that read and change it, and the `w:gp2` notifications. */
export class Groups {
  private readonly byId = new Map<string, Group>()

  constructor(private readonly net: TestNetwork) {}

  get(jid: string): Group | undefined {
    return this.byId.get(jid.split('@')[0] ?? '')
  }

  all(): Group[] {
    return [...this.byId.values()]
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
    // Members of a community's linked groups may read the community and its sub-groups.
    const communityMember = readsCommunity(this, group, actor)
    if (role === undefined && !(communityMember && (op.tag === 'query' || op.tag === 'sub_groups')))
      return forbidden()
    const admin = role !== null && role !== undefined
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
        group.description = op.attrs.delete === 'true' ? '' : text(getBinaryNodeChild(op, 'body'))
        this.notify(group, actor, {
          tag: 'description',
          attrs: { id: randomBytes(8).toString('hex') },
          content: [{ tag: 'body', attrs: {}, content: group.description }],
        })
        return undefined
      case 'ephemeral':
      case 'not_ephemeral':
        if (group.locked && !admin) return forbidden()
        group.ephemeral = op.tag === 'ephemeral' ? Number(op.attrs.expiration ?? 0) : 0
        this.notify(group, actor, {
          tag: op.tag,
          attrs: op.tag === 'ephemeral' ? { expiration: String(group.ephemeral) } : {},
        })
        return undefined
      case 'membership_approval_mode': {
        if (!admin) return forbidden()
        const state = getBinaryNodeChild(op, 'group_join')?.attrs.state
        group.joinApproval = state === 'on'
        this.notify(group, actor, {
          tag: 'membership_approval_mode',
          attrs: {},
          content: [{ tag: 'group_join', attrs: { state: group.joinApproval ? 'on' : 'off' } }],
        })
        return undefined
      }
      case 'member_add_mode':
        if (!admin) return forbidden()
        group.allMembersAdd = text(op) === 'all_member_add'
        this.notify(group, actor, { tag: 'member_add_mode', attrs: {}, content: Buffer.from(text(op)) })
        return undefined
      case 'membership_approval_requests':
        if (!admin) return forbidden()
        return [
          {
            tag: 'membership_approval_requests',
            attrs: {},
            content: [...group.requests].map(([account, t]) => ({
              tag: 'membership_approval_request',
              attrs: { jid: pnJid(account.phone), lid: lidJid(account.lid), request_time: t },
            })),
          },
        ]
      case 'membership_requests_action':
        return admin ? this.answerRequests(group, actor, op) : forbidden()
      case 'links':
      case 'unlink':
        return admin ? changeLinks(this, group, actor, op) : forbidden()
      case 'sub_groups':
        return subGroups(this, group)
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
        this.notify(group, actor, { tag: 'leave', attrs: {}, content: [participant(actor)] })
        group.members.delete(actor)
      }
      return undefined
    }
    if (op.tag === 'invite' && op.attrs.code) {
      const group = [...this.byId.values()].find((g) => g.inviteCode === op.attrs.code)
      if (!group) return notFound()
      if (type === 'get') return [this.node(group)]
      if (group.joinApproval && !group.members.has(actor)) {
        if (!group.requests.has(actor)) {
          group.requests.set(actor, now())
          const admins = [...group.members].filter(([, role]) => role !== null).map(([a]) => a)
          this.notify(
            group,
            actor,
            {
              tag: 'created_membership_requests',
              attrs: { request_method: 'invite_link' },
              content: [requester(actor)],
            },
            [actor],
            admins,
          )
        }
        return [{ tag: 'membership_approval_request', attrs: { jid: `${group.id}@g.us` } }]
      }
      if (!group.members.has(actor)) {
        group.members.set(actor, null)
        this.notify(group, actor, {
          tag: 'add',
          attrs: { reason: 'invite' },
          content: [participant(actor)],
        })
      }
      return [{ tag: 'group', attrs: { jid: `${group.id}@g.us` } }]
    }
    return undefined
  }

  /** A new group (or community, with `<parent>`) made by `creator`; answers its `<group>` node. */
  create(creator: Account, op: BinaryNode): BinaryNode {
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
      ephemeral: 0,
      joinApproval: false,
      requests: new Map(),
      allMembersAdd: false,
      isParent: Boolean(getBinaryNodeChild(op, 'parent')),
      isDefaultSubGroup: false,
      linkedParent: undefined,
    }
    const description = getBinaryNodeChild(op, 'description')
    if (description) group.description = text(getBinaryNodeChild(description, 'body'))
    group.linkedParent = requestedParent(this, op, creator)
    for (const { attrs } of getBinaryNodeChildren(op, 'participant')) {
      const found = this.net.accounts.resolve(attrs.jid ?? '')
      if (found && !group.members.has(found.account)) group.members.set(found.account, null)
    }
    this.byId.set(id, group)
    const node = this.node(group)
    this.notify(group, creator, { tag: 'create', attrs: {}, content: [node] })
    // A community comes with its announcement group ("general chat"), where only admins send.
    if (group.isParent && getBinaryNodeChild(op, 'create_general_chat'))
      createGeneralChat(this, group, creator)
    return node
  }

  /** Approves (adds) or rejects pending requests to join. */
  private answerRequests(group: Group, actor: Account, op: BinaryNode): BinaryNode[] {
    const [action] = children(op)
    const verb = action?.tag === 'approve' ? 'approve' : 'reject'
    const results: BinaryNode[] = []
    const approved: Account[] = []
    for (const { attrs } of getBinaryNodeChildren(action, 'participant')) {
      const found = this.net.accounts.resolve(attrs.jid ?? '')?.account
      if (!found || !group.requests.has(found)) {
        results.push({ tag: 'participant', attrs: { jid: attrs.jid ?? '', error: '404' } })
        continue
      }
      group.requests.delete(found)
      if (verb === 'approve') {
        group.members.set(found, null)
        approved.push(found)
      } else {
        this.notify(
          group,
          actor,
          { tag: 'revoked_membership_requests', attrs: {}, content: [requester(found)] },
          [found],
        )
      }
      results.push({ tag: 'participant', attrs: { jid: attrs.jid ?? '' } })
    }
    if (approved.length > 0) {
      this.notify(group, actor, {
        tag: 'add',
        attrs: { reason: 'membership_approval' },
        content: approved.map((a) => participant(a)),
      })
    }
    return [
      {
        tag: 'membership_requests_action',
        attrs: {},
        content: [{ tag: verb, attrs: {}, content: results }],
      },
    ]
  }

  /**
   * A group's picture set (with the JPEG) or removed by `conn`'s account: any member unless the
   * group is locked; members get a `picture` notification. Answers the result's children.
   */
  setPicture(
    conn: ChatConnection,
    target: string,
    picture: BinaryNode | undefined,
  ): BinaryNode[] | undefined {
    const actor = conn.account
    const group = this.get(target)
    if (!actor || !group) return notFound()
    const role = group.members.get(actor)
    if (role === undefined || (group.locked && role === null)) return forbidden()
    const bytes = picture?.content instanceof Uint8Array ? Buffer.from(picture.content) : undefined
    const stored = bytes && this.net.media ? this.net.media.put(bytes) : undefined
    group.picture = stored ? { id: String(randomInt(10 ** 9, 10 ** 10)), url: stored.url } : undefined
    const jid = `${group.id}@g.us`
    const change: BinaryNode = group.picture
      ? { tag: 'set', attrs: { jid, id: group.picture.id, author: pnJid(actor.phone) } }
      : { tag: 'delete', attrs: { jid, author: pnJid(actor.phone) } }
    for (const account of group.members.keys()) {
      for (const device of account.devices.values()) {
        this.net.deliver(device, {
          tag: 'notification',
          attrs: { from: jid, type: 'picture', id: this.net.nextId(), t: now(), notify: actor.name },
          content: [change],
        })
      }
    }
    return group.picture ? [{ tag: 'picture', attrs: { id: group.picture.id } }] : undefined
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
        { tag: op.tag, attrs: {}, content: changed.map((a) => participant(a)) },
        audience,
      )
    }
    return [{ tag: op.tag, attrs: {}, content: results }]
  }

  /**
   * A `w:gp2` notification to every member's devices (and to `extra` accounts), or only to `only`
   * (and `extra`) when given.
   */
  notify(group: Group, actor: Account, child: BinaryNode, extra: Account[] = [], only?: Account[]) {
    const audience = new Set([...(only ?? group.members.keys()), ...extra])
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

  /** The `<group>` node Baileys' `extractGroupMetadata` reads. */
  node(group: Group): BinaryNode {
    return groupNode(group)
  }
}

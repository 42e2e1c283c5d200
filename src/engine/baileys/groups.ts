import {
  type BinaryNode,
  type GroupMetadata,
  type GroupParticipant,
  generateMessageID,
  generateProfilePicture,
  getBinaryNodeChild,
  getBinaryNodeChildren,
  jidNormalizedUser,
  proto,
} from 'baileys'
import { extractGroupMetadata } from 'baileys/lib/Socket/groups.js'
import type { GroupInfo, GroupMember, GroupsPort } from '../groups.js'
import { groupJson } from '../groups.js'
import { EngineRefusal } from '../port.js'
import type { AdapterContext } from './context.js'

const norm = (jid: string | null | undefined) => (jid ? jidNormalizedUser(jid) : '')
const isLid = (jid: string) => jid.endsWith('@lid')
const isPn = (jid: string) => jid.endsWith('@s.whatsapp.net')
/** Two addresses of one person (either may be missing) → its phone JID and LID. */
const pnLid = (a: string | null | undefined, b?: string | null) => {
  const list = [norm(a), norm(b)]
  return { pn: list.find(isPn) ?? '', lid: list.find(isLid) ?? '' }
}
const nowIso = () => new Date().toISOString()
const isoOf = (seconds: unknown) => {
  const n = Number(seconds ?? 0)
  return n > 0 ? new Date(n * 1000).toISOString() : nowIso()
}

/** Baileys' group metadata → the port's GroupInfo. */
export function toGroupInfo(meta: GroupMetadata): GroupInfo {
  const owner = pnLid(meta.owner, meta.ownerPn)
  const subject = pnLid(meta.subjectOwner, meta.subjectOwnerPn)
  const topic = pnLid(meta.descOwner, meta.descOwnerPn)
  return {
    jid: meta.id,
    name: meta.subject ?? '',
    nameSetAt: Number(meta.subjectTime ?? 0) || 0,
    nameSetBy: norm(meta.subjectOwner),
    nameSetByPn: subject.pn,
    owner: norm(meta.owner),
    ownerPn: owner.pn,
    topic: meta.desc ?? '',
    topicId: meta.descId ?? '',
    topicSetAt: Number(meta.descTime ?? 0) || 0,
    topicSetBy: norm(meta.descOwner),
    topicSetByPn: topic.pn,
    locked: Boolean(meta.restrict),
    announce: Boolean(meta.announce),
    ephemeralSeconds: meta.ephemeralDuration ?? 0,
    joinApproval: Boolean(meta.joinApprovalMode),
    allMembersAdd: Boolean(meta.memberAddMode),
    isParent: Boolean(meta.isCommunity),
    isDefaultSubGroup: Boolean(meta.isCommunityAnnounce),
    linkedParent: norm(meta.linkedParent),
    created: Number(meta.creation ?? 0) || 0,
    addressingMode: meta.addressingMode === 'lid' ? 'lid' : 'pn',
    members: meta.participants.map(toMember),
  }
}

function toMember(p: GroupParticipant): GroupMember {
  const { pn, lid } = pnLid(p.id, isLid(p.id) ? p.phoneNumber : p.lid)
  return {
    jid: norm(p.id),
    phone: pn,
    lid,
    admin: p.admin === 'admin' || p.admin === 'superadmin',
    superAdmin: p.admin === 'superadmin',
  }
}

/** A refusal WhatsApp sent (an `<error code>` child, or Baileys' Boom) → EngineRefusal with its code. */
export function refusal(err: unknown): unknown {
  const boom = err as { isBoom?: boolean; data?: unknown; output?: { statusCode?: number }; message?: string }
  if (!boom?.isBoom) return err
  const code =
    typeof boom.data === 'number'
      ? boom.data
      : typeof (boom.data as { attrs?: { code?: string } })?.attrs?.code === 'string'
        ? Number((boom.data as { attrs: { code: string } }).attrs.code)
        : boom.output?.statusCode
  if (!code || code === 500 || code === 408 || code === 428) return err
  return new EngineRefusal(code, boom.message ?? `WhatsApp refused (${code})`)
}

/** Groups and communities (w:g2 IQs) through Baileys. */
export function groupsOf(ctx: AdapterContext): GroupsPort {
  const { socket } = ctx
  const w = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (err) {
      throw refusal(err)
    }
  }
  const iq = (to: string, type: 'get' | 'set', content: BinaryNode[]) =>
    socket.query({ tag: 'iq', attrs: { to, type, xmlns: 'w:g2' }, content })
  const meta = async (jid: string) => toGroupInfo(await socket.groupMetadata(jid))

  watch(ctx)

  return {
    groupCreate: (name, participants) =>
      w(async () => toGroupInfo(await socket.groupCreate(name, participants))),
    groupInfo: (jid) => w(() => meta(jid)),
    groupList: () =>
      w(async () => {
        const result = await iq('@g.us', 'get', [
          {
            tag: 'participating',
            attrs: {},
            content: [
              { tag: 'participants', attrs: {} },
              { tag: 'description', attrs: {} },
            ],
          },
        ])
        return getBinaryNodeChildren(getBinaryNodeChild(result, 'groups'), 'group').map((g) =>
          toGroupInfo(extractGroupMetadata({ tag: 'result', attrs: {}, content: [g] })),
        )
      }),
    groupInviteCode: (jid, reset) =>
      w(async () => {
        const code = reset ? await socket.groupRevokeInvite(jid) : await socket.groupInviteCode(jid)
        if (!code) throw new EngineRefusal(404, 'WhatsApp gave no invite code')
        return code
      }),
    groupJoin: (code) =>
      w(async () => {
        const result = await iq('@g.us', 'set', [{ tag: 'invite', attrs: { code } }])
        const group = getBinaryNodeChild(result, 'group')?.attrs.jid
        if (group) return { jid: norm(group), pending: false }
        const request = getBinaryNodeChild(result, 'membership_approval_request')?.attrs.jid
        if (request) return { jid: norm(request), pending: true }
        throw new EngineRefusal(404, 'WhatsApp named no group for this invite')
      }),
    groupInviteInfo: (code) => w(async () => toGroupInfo(await socket.groupGetInviteInfo(code))),
    groupLeave: (jid) => w(() => socket.groupLeave(jid)),
    groupSetName: (jid, name) => w(() => socket.groupUpdateSubject(jid, name)),
    groupSetTopic: (jid, topic) => w(() => socket.groupUpdateDescription(jid, topic || undefined)),
    groupSetting: (jid, setting) => w(() => socket.groupSettingUpdate(jid, setting)),
    groupSetEphemeral: (jid, seconds) => w(() => socket.groupToggleEphemeral(jid, seconds)),
    groupParticipants: (jid, participants, action) =>
      w(async () =>
        (await socket.groupParticipantsUpdate(jid, participants, action)).map((r) => ({
          jid: norm(r.jid),
          status: String(r.status),
        })),
      ),
    groupSetPhoto: (jid, image) =>
      w(async () => {
        const { img } = await generateProfilePicture(image)
        const result = await socket.query({
          tag: 'iq',
          attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'w:profile:picture', target: jid },
          content: [{ tag: 'picture', attrs: { type: 'image' }, content: img }],
        })
        const id = getBinaryNodeChild(result, 'picture')?.attrs.id
        if (id) return id
        const current = await socket
          .query({
            tag: 'iq',
            attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'w:profile:picture', target: jid },
            content: [{ tag: 'picture', attrs: { type: 'preview', query: 'url' } }],
          })
          .catch(() => undefined)
        return (current && getBinaryNodeChild(current, 'picture')?.attrs.id) || ''
      }),
    groupRemovePhoto: (jid) => w(() => socket.removeProfilePicture(jid)),
    groupRequests: (jid) =>
      w(async () =>
        (await socket.groupRequestParticipantsList(jid)).map((r) => {
          const attrs = r as Record<string, string | undefined>
          const { pn, lid } = pnLid(attrs.jid, attrs.phone_number ?? attrs.lid)
          return {
            jid: norm(attrs.jid),
            phone: pn,
            lid,
            requestedAt: Number(attrs.request_time ?? attrs.t ?? 0) || 0,
          }
        }),
      ),
    groupRequestsUpdate: (jid, participants, action) =>
      w(async () =>
        (await socket.groupRequestParticipantsUpdate(jid, participants, action)).map((r) => ({
          jid: norm(r.jid),
          status: String(r.status),
        })),
      ),
    communityCreate: (name, description) =>
      w(async () => {
        const result = await iq('@g.us', 'set', [
          {
            tag: 'create',
            attrs: { subject: name },
            content: [
              {
                tag: 'description',
                attrs: { id: generateMessageID().substring(0, 12) },
                content: [{ tag: 'body', attrs: {}, content: Buffer.from(description, 'utf-8') }],
              },
              { tag: 'parent', attrs: { default_membership_approval_mode: 'request_required' } },
              { tag: 'allow_non_admin_sub_group_creation', attrs: {} },
              { tag: 'create_general_chat', attrs: {} },
            ],
          },
        ])
        const id = getBinaryNodeChild(result, 'group')?.attrs.id
        if (!id) throw new EngineRefusal(500, 'WhatsApp did not create the community')
        return meta(id.includes('@') ? id : `${id}@g.us`)
      }),
    communityLink: (parent, child) => w(() => socket.communityLinkGroup(child, parent)),
    communityUnlink: (parent, child) => w(() => socket.communityUnlinkGroup(child, parent)),
    communitySubGroups: (parent) =>
      w(async () => {
        const result = await iq(parent, 'get', [{ tag: 'sub_groups', attrs: {} }])
        return getBinaryNodeChildren(getBinaryNodeChild(result, 'sub_groups'), 'group').map((g) => ({
          jid: (g.attrs.id ?? '').includes('@') ? (g.attrs.id ?? '') : `${g.attrs.id}@g.us`,
          name: g.attrs.subject ?? '',
          isDefault: Boolean(getBinaryNodeChild(g, 'default_sub_group')),
        }))
      }),
  }
}

/** Reports group changes WhatsApp pushes as GroupInfo, JoinedGroup and Picture events. */
function watch(ctx: AdapterContext) {
  const { socket, onEvent } = ctx
  const isMe = (jid: string) => {
    const me = ctx.me()
    const user = (j: string | undefined) => (j ? norm(j).split('@')[0] : undefined)
    const u = user(jid)
    return Boolean(u) && (u === user(me.id) || u === user(me.lid))
  }
  /** Events in the order WhatsApp pushed them, each once its sender's other address is looked up. */
  let queue: Promise<unknown> = Promise.resolve()
  const later = (run: () => Promise<void> | void) => {
    queue = queue.then(run).catch((err) => ctx.logger.warn({ err }, 'reporting a group change failed'))
  }
  /** Who made a change: phone JID and LID (Baileys drops the alternate address of notifications). */
  const sender = async (author?: string | null, alt?: string | null) => {
    let { pn, lid } = pnLid(author, alt)
    const me = ctx.me()
    if (pn && !lid && isMe(pn)) lid = norm(me.lid)
    if (lid && !pn && isMe(lid)) pn = norm(me.id)
    const mapping = socket.signalRepository.lidMapping
    if (pn && !lid) lid = norm(await mapping.getLIDForPN(pn).catch(() => undefined))
    if (lid && !pn) pn = norm(await mapping.getPNForLID(lid).catch(() => undefined))
    return { Sender: pn || lid || norm(author), SenderPN: pn, SenderLID: lid }
  }
  const groupInfo = (jid: string, data: Record<string, unknown>) =>
    onEvent({
      type: 'notice',
      name: 'GroupInfo',
      chat: jid,
      data: { JID: jid, Notify: '', Timestamp: nowIso(), ...data },
    })
  const joined = (jid: string, reason: string, by: Record<string, unknown>, info?: GroupInfo) => {
    const send = (g: GroupInfo | undefined) =>
      onEvent({
        type: 'notice',
        name: 'JoinedGroup',
        chat: jid,
        data: {
          Reason: reason,
          Type: reason === 'create' ? 'new' : '',
          CreateKey: '',
          ...by,
          ...(g ? groupJson(g) : { JID: jid }),
        },
      })
    if (info) return send(info)
    socket
      .groupMetadata(jid)
      .then((m) => send(toGroupInfo(m)))
      .catch((err) => {
        ctx.logger.warn({ err, jid }, 'group metadata for JoinedGroup failed')
        send(undefined)
      })
  }

  socket.ev.on('groups.upsert', (groups) => {
    for (const g of groups)
      later(async () => joined(g.id, 'create', await sender(g.author, g.authorPn), toGroupInfo(g)))
  })

  socket.ev.on('group-participants.update', (update) => {
    const people = update.participants.map((p) => pnLid(p.id, isLid(p.id) ? p.phoneNumber : p.lid))
    const key = { add: 'Join', remove: 'Leave', promote: 'Promote', demote: 'Demote' }[update.action as 'add']
    if (!key) return
    later(async () => {
      const by = await sender(update.author, update.authorPn)
      groupInfo(update.id, {
        ...by,
        Join: [],
        Leave: [],
        Promote: [],
        Demote: [],
        [key]: people.map((p) => p.pn || p.lid),
        [`${key}LID`]: people.map((p) => p.lid),
        [`${key}PN`]: people.map((p) => p.pn),
      })
      if (update.action === 'add' && people.some((p) => isMe(p.pn) || isMe(p.lid))) {
        joined(update.id, isMe(by.Sender) ? 'invite' : 'add', by)
      }
    })
  })

  socket.ev.on('groups.update', (updates) => {
    for (const u of updates) {
      // groupFetchAllParticipating re-emits every group in full: that is a refresh, not a change.
      if (!u.id || 'participants' in u) continue
      const extra = u as typeof u & { author?: string; authorPn?: string }
      later(async () => {
        const by = await sender(extra.author, extra.authorPn)
        const at = nowIso()
        const data: Record<string, unknown> = { ...by }
        if (u.subject !== undefined)
          data.Name = { Name: u.subject, NameSetAt: at, NameSetBy: by.Sender, NameSetByPN: by.SenderPN }
        if ('desc' in u)
          data.Topic = {
            Topic: u.desc ?? '',
            TopicID: '',
            TopicSetAt: at,
            TopicSetBy: by.Sender,
            TopicSetByPN: by.SenderPN,
            TopicDeleted: !u.desc,
          }
        if (u.restrict !== undefined) data.Locked = { IsLocked: u.restrict }
        if (u.announce !== undefined) data.Announce = { IsAnnounce: u.announce, AnnounceVersionID: '' }
        if (u.inviteCode !== undefined) data.NewInviteLink = `https://chat.whatsapp.com/${u.inviteCode}`
        if (u.joinApprovalMode !== undefined)
          data.MembershipApprovalMode = { IsJoinApprovalRequired: u.joinApprovalMode }
        if (u.memberAddMode !== undefined)
          data.MemberAddMode = u.memberAddMode ? 'all_member_add' : 'admin_add'
        if (Object.keys(data).length > 3) groupInfo(norm(u.id), data)
      })
    }
  })

  socket.ev.on('group.join-request', (r) => {
    const who = pnLid(r.participant, r.participantPn)
    later(async () =>
      groupInfo(norm(r.id), {
        ...(await sender(r.author, r.authorPn)),
        JoinRequest: {
          JID: who.pn || who.lid,
          PN: who.pn,
          LID: who.lid,
          Action: r.action,
          Method: r.method ?? '',
        },
      }),
    )
  })

  socket.ev.on('messages.upsert', ({ messages }) => {
    for (const m of messages) {
      const jid = norm(m.key.remoteJid)
      if (!jid.endsWith('@g.us')) continue
      const key = m.key as typeof m.key & { participantAlt?: string }
      const protocol = m.message?.protocolMessage
      const ephemeral = protocol?.type === proto.Message.ProtocolMessage.Type.EPHEMERAL_SETTING
      const icon = m.messageStubType === proto.WebMessageInfo.StubType.GROUP_CHANGE_ICON
      if (!ephemeral && !icon) continue
      later(async () => {
        const by = await sender(m.participant || key.participant, key.participantAlt)
        if (ephemeral) {
          const seconds = Number(protocol?.ephemeralExpiration ?? 0)
          groupInfo(jid, {
            ...by,
            Timestamp: isoOf(m.messageTimestamp),
            Ephemeral: { IsEphemeral: seconds > 0, DisappearingTimer: seconds },
          })
        }
        if (icon) {
          const id = m.messageStubParameters?.[0] ?? ''
          onEvent({
            type: 'notice',
            name: 'Picture',
            chat: jid,
            data: {
              JID: jid,
              Author: by.Sender,
              AuthorPN: by.SenderPN,
              AuthorLID: by.SenderLID,
              Timestamp: isoOf(m.messageTimestamp),
              Remove: !id,
              PictureID: id,
            },
          })
        }
      })
    }
  })
}

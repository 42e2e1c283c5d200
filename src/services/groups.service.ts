import type { GroupInfo, GroupSetting, ParticipantAction, ParticipantResult } from '../engine/groups.js'
import type { EngineConnection } from '../engine/port.js'
import { EngineRefusal } from '../engine/port.js'
import type { SessionDeps } from './deps.js'
import { AppError, validation } from './errors.js'
import { parseRecipient } from './recipient.js'

export { groupJson, memberJson } from '../engine/groups.js'
export type { GroupInfo, ParticipantResult }

const GROUP_JID = /^\d{6,}(-\d+)?@g\.us$/
/** DIGIGO's disappearing timers (and `off`), in seconds. */
const DURATIONS: Record<string, number> = { off: 0, '0': 0, '24h': 86_400, '7d': 604_800, '90d': 7_776_000 }
const ALLOWED_SECONDS = new Set(Object.values(DURATIONS))
const INVITE = /^(?:https?:\/\/)?chat\.whatsapp\.com\/(?:invite\/)?([\w-]+)\/?$/i

/** A group JID given by a client; refuses anything else. */
export function parseGroupJid(input: string, field = 'GroupJID'): string {
  const jid = input.trim()
  if (!GROUP_JID.test(jid)) throw validation(`${field} must be a group JID (digits@g.us), got: ${input}`)
  return jid
}

/** An invite code, or a chat.whatsapp.com link → its code. */
export function parseInviteCode(input: string): string {
  const text = input.trim()
  const code = INVITE.exec(text)?.[1] ?? text
  if (!/^[\w-]{6,64}$/.test(code)) throw validation(`Code must be an invite code or link, got: ${input}`)
  return code
}

/** Duration `24h|7d|90d|off` or seconds (0, 86400, 604800, 7776000) → seconds. */
export function parseDuration(input: string | number): number {
  const seconds = typeof input === 'number' ? input : DURATIONS[input.trim().toLowerCase()]
  if (seconds === undefined || !ALLOWED_SECONDS.has(seconds))
    throw validation(`Duration must be one of 24h, 7d, 90d, off (got: ${input})`)
  return seconds
}

/** Members given as phone numbers or user JIDs → JIDs (no duplicates). */
function parseMembers(list: string[], field: string): string[] {
  if (list.length === 0) throw validation(`${field} must name at least one participant`)
  const jids = list.map((p) => {
    const jid = parseRecipient(String(p))
    if (!jid.endsWith('@s.whatsapp.net') && !jid.endsWith('@lid'))
      throw validation(`${field} must be phone numbers or user JIDs, got: ${p}`)
    return jid
  })
  return [...new Set(jids)]
}

/** WhatsApp's refusal → a domain error a client can act on. */
function refused(err: unknown, what: string): unknown {
  if (!(err instanceof EngineRefusal)) return err
  const details = { whatsappCode: err.code }
  switch (err.code) {
    case 400:
      return new AppError('VALIDATION', `WhatsApp refused ${what}: bad request (${err.message})`, details)
    case 401:
    case 403:
      return new AppError(
        'FORBIDDEN',
        `WhatsApp refused ${what}: not allowed (you must be a member, or an admin for this change)`,
        details,
      )
    case 404:
    case 406:
    case 410:
      return new AppError('NOT_FOUND', `WhatsApp refused ${what}: no such group or invite`, details)
    case 409:
      return new AppError('WHATSAPP_REFUSED', `WhatsApp refused ${what}: already done (409)`, details)
    default:
      return new AppError('WHATSAPP_REFUSED', `WhatsApp refused ${what} (code ${err.code})`, details)
  }
}

/** Groups and communities. */
export class GroupsService {
  constructor(protected readonly deps: SessionDeps) {
    // Every GroupInfo event is also a `group.update` monitoring record (DIGIGO's monitoring topic).
    deps.sessions.onNotice((userId, notice) => {
      if (notice.name !== 'GroupInfo') return
      void deps.monitoring
        .record(userId, 'group.update', notice.chat, notice.data, 'delivered')
        .catch((err) => deps.log.warn({ err, userId }, 'monitoring group.update failed'))
    })
  }

  private async run<T>(userId: string, what: string, call: (c: EngineConnection) => Promise<T>): Promise<T> {
    const connection = this.deps.sessions.connection(userId)
    try {
      return await call(connection)
    } catch (err) {
      throw refused(err, what)
    }
  }

  /** Members completed with the phone JID or LID this session knows; pairs WhatsApp told are kept. */
  private async complete(userId: string, info: GroupInfo): Promise<GroupInfo> {
    const pairs = info.members.filter((m) => m.phone && m.lid).map((m) => ({ pn: m.phone, lid: m.lid }))
    if (pairs.length > 0) await this.deps.identity.learn(userId, pairs)
    const members = await Promise.all(
      info.members.map(async (m) => {
        if (m.phone && m.lid) return m
        const { pn, lid } = await this.deps.identity.both(userId, m.jid, m.phone || m.lid || undefined)
        return { ...m, phone: m.phone || pn, lid: m.lid || lid }
      }),
    )
    let { ownerPn, nameSetByPn } = info
    if (!ownerPn && info.owner) ownerPn = await this.deps.identity.phoneOf(userId, info.owner)
    if (!nameSetByPn && info.nameSetBy) nameSetByPn = await this.deps.identity.phoneOf(userId, info.nameSetBy)
    return { ...info, members, ownerPn: ownerPn.endsWith('@lid') ? '' : ownerPn, nameSetByPn }
  }

  async create(userId: string, name: string, participants: string[]): Promise<GroupInfo> {
    const subject = name.trim()
    if (!subject) throw validation('Name must not be empty')
    if ([...subject].length > 100) throw validation('Name must be at most 100 characters')
    const members = participants.length ? parseMembers(participants, 'Participants') : []
    const info = await this.run(userId, 'creating the group', (c) => c.groupCreate(subject, members))
    return this.complete(userId, info)
  }

  async info(userId: string, groupJid: string): Promise<GroupInfo> {
    const jid = parseGroupJid(groupJid)
    return this.complete(userId, await this.run(userId, 'the group info', (c) => c.groupInfo(jid)))
  }

  async list(userId: string): Promise<GroupInfo[]> {
    const groups = await this.run(userId, 'the group list', (c) => c.groupList())
    return Promise.all(groups.map((g) => this.complete(userId, g)))
  }

  async inviteLink(userId: string, groupJid: string, reset: boolean): Promise<string> {
    const jid = parseGroupJid(groupJid)
    const code = await this.run(userId, 'the invite link', (c) => c.groupInviteCode(jid, reset))
    return `https://chat.whatsapp.com/${code}`
  }

  async join(userId: string, codeOrLink: string) {
    const code = parseInviteCode(codeOrLink)
    return this.run(userId, 'joining', (c) => c.groupJoin(code))
  }

  async inviteInfo(userId: string, codeOrLink: string): Promise<GroupInfo> {
    const code = parseInviteCode(codeOrLink)
    return this.complete(userId, await this.run(userId, 'the invite info', (c) => c.groupInviteInfo(code)))
  }

  async leave(userId: string, groupJid: string): Promise<void> {
    const jid = parseGroupJid(groupJid)
    await this.run(userId, 'leaving the group', (c) => c.groupLeave(jid))
  }

  async setName(userId: string, groupJid: string, name: string): Promise<void> {
    const jid = parseGroupJid(groupJid)
    const subject = name.trim()
    if (!subject) throw validation('Name must not be empty')
    if ([...subject].length > 100) throw validation('Name must be at most 100 characters')
    await this.run(userId, 'the new name', (c) => c.groupSetName(jid, subject))
  }

  async setTopic(userId: string, groupJid: string, topic: string): Promise<void> {
    const jid = parseGroupJid(groupJid)
    if ([...topic].length > 2048) throw validation('Topic must be at most 2048 characters')
    await this.run(userId, 'the new topic', (c) => c.groupSetTopic(jid, topic))
  }

  async setting(userId: string, groupJid: string, setting: GroupSetting): Promise<void> {
    const jid = parseGroupJid(groupJid)
    await this.run(userId, 'the setting', (c) => c.groupSetting(jid, setting))
  }

  async ephemeral(userId: string, groupJid: string, duration: string | number): Promise<number> {
    const jid = parseGroupJid(groupJid)
    const seconds = parseDuration(duration)
    await this.run(userId, 'the disappearing timer', (c) => c.groupSetEphemeral(jid, seconds))
    return seconds
  }

  async participants(
    userId: string,
    groupJid: string,
    action: string,
    list: string[],
  ): Promise<ParticipantResult[]> {
    const jid = parseGroupJid(groupJid)
    const act = action.trim().toLowerCase()
    if (!['add', 'remove', 'promote', 'demote'].includes(act))
      throw validation(`Action must be one of add, remove, promote, demote (got: ${action})`)
    const members = parseMembers(list, 'Phone')
    const results = await this.run(userId, `the ${act}`, (c) =>
      c.groupParticipants(jid, members, act as ParticipantAction),
    )
    return this.checkResults(results, `the ${act}`)
  }

  /** Refuses when WhatsApp changed no one; else the per-participant outcome. */
  private checkResults(results: ParticipantResult[], what: string): ParticipantResult[] {
    const failed = results.filter((r) => r.status !== '200')
    if (results.length > 0 && failed.length === results.length) {
      const code = Number(failed[0]!.status) || 500
      throw refused(new EngineRefusal(code, `${failed[0]!.jid}: ${code}`), `${what} for every participant`)
    }
    return results
  }

  async setPhoto(userId: string, groupJid: string, image: string): Promise<string> {
    const jid = parseGroupJid(groupJid)
    if (!image.trim()) throw validation('Image must be a JPEG as a data URL, base64 or URL')
    const media = await this.deps.media.resolve(image, 'image')
    if (!/^image\/(jpeg|png)$/.test(media.mimetype))
      throw validation(`Image must be a JPEG (or PNG) picture, got ${media.mimetype}`)
    return this.run(userId, 'the photo', (c) => c.groupSetPhoto(jid, media.data))
  }

  async removePhoto(userId: string, groupJid: string): Promise<void> {
    const jid = parseGroupJid(groupJid)
    await this.run(userId, 'removing the photo', (c) => c.groupRemovePhoto(jid))
  }

  async requests(userId: string, groupJid: string) {
    const jid = parseGroupJid(groupJid)
    const list = await this.run(userId, 'the join requests', (c) => c.groupRequests(jid))
    return Promise.all(
      list.map(async (r) => {
        const { pn, lid } = await this.deps.identity.both(userId, r.jid, r.phone || r.lid || undefined)
        return { ...r, phone: r.phone || pn, lid: r.lid || lid }
      }),
    )
  }

  async updateRequests(userId: string, groupJid: string, action: string, list: string[]) {
    const jid = parseGroupJid(groupJid)
    const act = action.trim().toLowerCase()
    if (act !== 'approve' && act !== 'reject')
      throw validation(`action must be approve or reject (got: ${action})`)
    const members = parseMembers(list, 'participants')
    const results = await this.run(userId, `the ${act}`, (c) => c.groupRequestsUpdate(jid, members, act))
    return this.checkResults(results, `the ${act}`)
  }

  // ── communities ─────────────────────────────────────────────────────────────────────────────

  async createCommunity(userId: string, name: string, description: string, initialGroups: string[]) {
    const subject = name.trim()
    if (!subject) throw validation('community name is required')
    const groups = initialGroups.map((g) => parseGroupJid(g, 'initial_groups'))
    const parent = await this.run(userId, 'creating the community', (c) =>
      c.communityCreate(subject, description),
    )
    const linked: string[] = []
    for (const g of groups) {
      await this.run(userId, `linking ${g}`, (c) => c.communityLink(parent.jid, g))
      linked.push(g)
    }
    return { jid: parent.jid, name: parent.name, linked }
  }

  async link(userId: string, parentJid: string, childJid: string): Promise<void> {
    const parent = parseGroupJid(parentJid, 'parent_jid')
    const child = parseGroupJid(childJid, 'child_jid')
    await this.run(userId, 'the link', (c) => c.communityLink(parent, child))
  }

  async unlink(userId: string, parentJid: string, childJid: string): Promise<void> {
    const parent = parseGroupJid(parentJid, 'parent_jid')
    const child = parseGroupJid(childJid, 'child_jid')
    await this.run(userId, 'the unlink', (c) => c.communityUnlink(parent, child))
  }

  async subGroups(userId: string, communityJid: string) {
    const jid = parseGroupJid(communityJid, 'community_jid')
    return this.run(userId, 'the sub-groups', (c) => c.communitySubGroups(jid))
  }

  /**
   * Sends a text to the community's announcement group, which every member of the community
   * receives (only community admins may send there).
   */
  async announce(userId: string, communityJid: string, text: string) {
    const jid = parseGroupJid(communityJid, 'community_jid')
    if (!text.trim()) throw validation('message text is required')
    const subs = await this.run(userId, 'the sub-groups', (c) => c.communitySubGroups(jid))
    const announcement = subs.find((s) => s.isDefault)
    if (!announcement) throw new AppError('NOT_FOUND', `${jid} is not a community with an announcement group`)
    const group = await this.info(userId, announcement.jid)
    const me = this.deps.sessions.account(userId)
    const mine = group.members.find(
      (m) =>
        (me.jid && m.phone === me.jid.replace(/:\d+@/, '@')) ||
        (me.lid && m.lid === me.lid.replace(/:\d+@/, '@')),
    )
    if (!mine?.admin) throw new AppError('FORBIDDEN', 'only community admins can send announcements')
    const sent = await this.deps.messages.send(userId, {
      to: announcement.jid,
      content: { kind: 'text', text },
    })
    return { group: announcement.jid, id: sent.id }
  }
}

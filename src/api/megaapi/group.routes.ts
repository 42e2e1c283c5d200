import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TProperties, Type } from '@sinclair/typebox'
import type { GroupInfo } from '../../services/groups.service.js'
import type { Services } from '../../services/index.js'
import { InstanceParams, MegaOk, megaErrors, ok, security, tags } from './envelope.js'

const tag = tags('Group')
const ref = Type.Ref('MegaapiError')
const refusals = { 408: ref, 409: ref, 422: ref, 429: ref }
const Str = Type.String()
const Bool = Type.Boolean()

const GroupJid = (description = 'The group id (digits@g.us)', aliases: string[] = []) =>
  Type.String({ minLength: 1, description, 'x-aliases': aliases })

const Participant = Type.Object({
  id: Type.String({ description: 'The phone JID (the LID when WhatsApp gave no phone number)' }),
  admin: Type.Union([Type.Literal('admin'), Type.Literal('superadmin'), Type.Null()], {
    description: 'null: not an admin; admin; superadmin: the creator',
  }),
  phoneNumber: Type.String({ description: "Zapwire: the phone JID ('' when unknown)" }),
  lid: Type.String({ description: "Zapwire: the LID ('' when unknown)" }),
})

/** A group in Mega-api's (Baileys' `GroupMetadata`) field names, plus phone JIDs and LIDs. */
const GroupFields = {
  id: Type.String({ description: 'The group id (…@g.us)' }),
  subject: Type.String({ description: 'The name' }),
  creation: Type.Integer({ description: 'Created (unix seconds)' }),
  owner: Type.String({ description: 'The creator: phone JID when known, else its LID' }),
  ownerLid: Type.String({ description: "Zapwire: the creator’s LID ('' when unknown)" }),
  restrict: Type.Boolean({ description: 'true: only admins change the settings' }),
  announce: Type.Boolean({ description: 'true: only admins send messages' }),
  desc: Type.String({ description: 'Zapwire: the description' }),
  subjectOwner: Type.String({ description: 'Zapwire: who set the name' }),
  subjectTime: Type.Integer({ description: 'Zapwire: when (unix seconds)' }),
  size: Type.Integer({ description: 'Zapwire: the number of participants' }),
  ephemeralDuration: Type.Integer({ description: 'Zapwire: disappearing timer in seconds (0: off)' }),
  joinApprovalMode: Type.Boolean({ description: 'Zapwire: admins approve who joins' }),
  memberAddMode: Type.Boolean({ description: 'Zapwire: every member may add members' }),
  isCommunity: Type.Boolean({ description: 'Zapwire: a community (parent group)' }),
  isCommunityAnnounce: Type.Boolean({ description: 'Zapwire: a community’s announcement group' }),
  linkedParent: Type.String({ description: "Zapwire: the community it belongs to ('' when none)" }),
  addressingMode: Type.String({ description: 'Zapwire: pn or lid' }),
  participants: Type.Array(Participant),
}
const Group = Type.Object(GroupFields)

const groupOut = (g: GroupInfo) => {
  const owner = g.ownerPn || g.owner
  const ownerMember = g.members.find((m) => (g.ownerPn && m.phone === g.ownerPn) || m.jid === g.owner)
  return {
    id: g.jid,
    subject: g.name,
    creation: g.created,
    owner,
    ownerLid: g.owner.endsWith('@lid') ? g.owner : (ownerMember?.lid ?? ''),
    restrict: g.locked,
    announce: g.announce,
    desc: g.topic,
    subjectOwner: g.nameSetByPn || g.nameSetBy,
    subjectTime: g.nameSetAt,
    size: g.members.length,
    ephemeralDuration: g.ephemeralSeconds,
    joinApprovalMode: g.joinApproval,
    memberAddMode: g.allMembersAdd,
    isCommunity: g.isParent,
    isCommunityAnnounce: g.isDefaultSubGroup,
    linkedParent: g.linkedParent,
    addressingMode: g.addressingMode,
    participants: g.members.map((m) => ({
      id: m.phone || m.jid,
      admin: m.superAdmin ? ('superadmin' as const) : m.admin ? ('admin' as const) : null,
      phoneNumber: m.phone,
      lid: m.lid,
    })),
  }
}

const Listed = {
  status: Type.Boolean({ description: 'true: it worked (these two routes say `status`, not `error`)' }),
  message: Str,
  groups: Type.Array(Group),
  communitys: Type.Array(Group, { description: 'Communities (parent groups), Mega-api’s spelling (sic)' }),
}

const Updated = Type.Object({
  jid: Type.String({ description: 'The participant (phone JID when known)' }),
  lid: Type.String({ description: "Zapwire: its LID ('' when unknown)" }),
  status: Type.String({
    description: 'WhatsApp’s answer for it: 200 done; 403 not allowed; 404 not a member; 409 already…',
  }),
})

const DONE: Record<string, string> = {
  add: 'Participants added',
  remove: 'Participants removed',
  promote: 'Participants promoted',
  demote: 'Participants demoted',
}

/** Groups: /rest/group/*. */
export const groupRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { groups, sessions, identity } = services
  const schema = <P extends object>(summary: string, parts: P, fields: TProperties = {}) => ({
    tags: tag,
    security,
    summary,
    params: InstanceParams,
    ...parts,
    response: { 200: MegaOk(fields), ...megaErrors, ...refusals },
  })

  /** Splits the list into groups and communities (parents). */
  const listed = (list: GroupInfo[], message: string) => ({
    status: true,
    message,
    groups: list.filter((g) => !g.isParent).map(groupOut),
    communitys: list.filter((g) => g.isParent).map(groupOut),
  })

  app.get(
    '/group/list/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Every group and community the account is in',
        params: InstanceParams,
        response: { 200: Type.Object(Listed), ...megaErrors, ...refusals },
      },
    },
    async (req) => listed(await groups.list(req.user!.id), 'Groups fetched'),
  )

  app.get(
    '/group/:instance_key/adminGroups',
    {
      schema: {
        tags: tag,
        security,
        summary: 'The groups and communities where the account is an admin',
        params: InstanceParams,
        response: { 200: Type.Object(Listed), ...megaErrors, ...refusals },
      },
    },
    async (req) => {
      const list = await groups.list(req.user!.id)
      const view = sessions.view(req.user!.id)
      const me = new Set([view.jid, view.lid].filter(Boolean).map((j) => j!.replace(/:\d+(?=@)/, '')))
      const mine = list.filter((g) =>
        g.members.some((m) => (m.admin || m.superAdmin) && [m.jid, m.phone, m.lid].some((j) => me.has(j))),
      )
      return listed(mine, 'Admin groups fetched')
    },
  )

  // Mega-api's path ends with a slash; the router answers it with and without.
  app.get(
    '/group/:instance_key/group/',
    {
      schema: schema(
        'A group: name, settings and participants (phone JID and LID)',
        {
          querystring: Type.Object({ jid: GroupJid(undefined, ['group_id', 'groupJid', 'id']) }),
        },
        GroupFields,
      ),
    },
    async (req) => ok('Group fetched', groupOut(await groups.info(req.user!.id, req.query.jid))),
  )

  app.get(
    '/group/:instance_key/groupInviteCode',
    {
      schema: schema(
        'The invite code (the link is https://chat.whatsapp.com/<inviteCode>)',
        { querystring: Type.Object({ group_id: GroupJid(undefined, ['jid', 'groupJid']) }) },
        { inviteCode: Str, inviteUrl: Type.String({ description: 'Zapwire: the whole link' }) },
      ),
    },
    async (req) => {
      const link = await groups.inviteLink(req.user!.id, req.query.group_id, false)
      return ok('Invite code fetched', {
        inviteCode: link.slice(link.lastIndexOf('/') + 1),
        inviteUrl: link,
      })
    },
  )

  app.post(
    '/group/:instance_key/create',
    {
      schema: schema(
        'Create a group with these participants; you are its superadmin',
        {
          body: Type.Object({
            group_data: Type.Object({
              group_name: Type.String({ minLength: 1, 'x-aliases': ['name', 'subject'] }),
              participants: Type.Optional(
                Type.Array(Type.String({ minLength: 1 }), {
                  default: [],
                  description: 'Phone numbers or JIDs (551199999999@s.whatsapp.net)',
                }),
              ),
            }),
          }),
        },
        GroupFields,
      ),
    },
    async (req) => {
      const { group_name, participants = [] } = req.body.group_data
      return ok('Group created', groupOut(await groups.create(req.user!.id, group_name, participants)))
    },
  )

  const ParticipantsBody = Type.Object({
    group_data: Type.Object({
      jid: GroupJid(undefined, ['group_id', 'groupJid', 'id']),
      participants: Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'Phone numbers or JIDs',
      }),
    }),
  })
  for (const [path, action, summary] of [
    ['addParticipants', 'add', 'Add participants (403: not allowed to add them)'],
    ['removeParticipants', 'remove', 'Remove participants'],
    ['promoteParticipants', 'promote', 'Make participants admins'],
    ['demoteParticipants', 'demote', 'Take participants’ admin rights'],
  ] as const) {
    app.post(
      `/group/:instance_key/${path}`,
      {
        schema: schema(
          `${summary}; each participant’s outcome in updatedParticipants (403 when WhatsApp refused them all)`,
          { body: ParticipantsBody },
          { updatedParticipants: Type.Array(Updated) },
        ),
      },
      async (req) => {
        const { jid, participants } = req.body.group_data
        const results = await groups.participants(req.user!.id, jid, action, participants)
        const updatedParticipants = await Promise.all(
          results.map(async (r) => {
            const { pn, lid } = await identity.both(req.user!.id, r.jid, undefined)
            return { jid: pn || r.jid, lid, status: r.status }
          }),
        )
        return ok(DONE[action]!, { updatedParticipants })
      },
    )
  }

  const SettingQuery = Type.Object({
    jid: GroupJid(undefined, ['group_id', 'groupJid', 'id']),
    allowOnlyAdmins: Type.Boolean({ description: 'true: only admins', 'x-aliases': ['onlyAdmins'] }),
  })
  app.put(
    '/group/:instance_key/setWhoCanSendMessage',
    {
      schema: schema(
        'Who may send messages: only admins (true) or everyone (false)',
        { querystring: SettingQuery },
        { jid: Str, announce: Bool },
      ),
    },
    async (req) => {
      const { jid, allowOnlyAdmins } = req.query
      await groups.setting(req.user!.id, jid, allowOnlyAdmins ? 'announcement' : 'not_announcement')
      return ok('Group setting updated', { jid, announce: allowOnlyAdmins })
    },
  )

  app.put(
    '/group/:instance_key/setWhoCanChangeSettings',
    {
      schema: schema(
        'Who may change the group’s settings: only admins (true) or everyone (false)',
        { querystring: SettingQuery },
        { jid: Str, restrict: Bool },
      ),
    },
    async (req) => {
      const { jid, allowOnlyAdmins } = req.query
      await groups.setting(req.user!.id, jid, allowOnlyAdmins ? 'locked' : 'unlocked')
      return ok('Group setting updated', { jid, restrict: allowOnlyAdmins })
    },
  )

  app.delete(
    '/group/:instance_key/leaveGroup',
    {
      schema: schema(
        'Leave the group',
        {
          querystring: Type.Object({ jid: GroupJid(undefined, ['group_id', 'groupJid', 'id']) }),
        },
        { jid: Str },
      ),
    },
    async (req) => {
      await groups.leave(req.user!.id, req.query.jid)
      return ok('Left the group', { jid: req.query.jid.trim() })
    },
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TProperties, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { InstanceParams, MegaOk, megaErrors, ok, security, tags } from './envelope.js'
import {
  adminOnly,
  DONE,
  GroupFields,
  groupOut,
  Listed,
  listed,
  Updated,
  updatedView,
} from './group.mapper.js'

const tag = tags('Group')
const ref = Type.Ref('MegaapiError')
const refusals = { 408: ref, 409: ref, 422: ref, 429: ref }
const Str = Type.String()
const Bool = Type.Boolean()

const GroupJid = (description = 'The group id (digits@g.us)', aliases: string[] = []) =>
  Type.String({ minLength: 1, description, 'x-aliases': aliases })

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
      const mine = adminOnly(await groups.list(req.user!.id), sessions.view(req.user!.id))
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
        return ok(DONE[action]!, { updatedParticipants: await updatedView(identity, req.user!.id, results) })
      },
    )
  }

  const SettingQuery = Type.Object({
    jid: GroupJid(undefined, ['group_id', 'groupJid', 'id']),
    allowOnlyAdmins: Type.Boolean({ description: 'true: only admins', 'x-aliases': ['onlyAdmins'] }),
  })
  /** The two group settings Mega-api sets: route, what it says, the answer's key, the setting pair. */
  const SETTINGS = [
    {
      route: 'setWhoCanSendMessage',
      summary: 'Who may send messages: only admins (true) or everyone (false)',
      key: 'announce',
      on: 'announcement',
      off: 'not_announcement',
    },
    {
      route: 'setWhoCanChangeSettings',
      summary: 'Who may change the group’s settings: only admins (true) or everyone (false)',
      key: 'restrict',
      on: 'locked',
      off: 'unlocked',
    },
  ] as const
  for (const setting of SETTINGS) {
    app.put(
      `/group/:instance_key/${setting.route}`,
      { schema: schema(setting.summary, { querystring: SettingQuery }, { jid: Str, [setting.key]: Bool }) },
      async (req) => {
        const { jid, allowOnlyAdmins } = req.query
        await groups.setting(req.user!.id, jid, allowOnlyAdmins ? setting.on : setting.off)
        return ok('Group setting updated', { jid, [setting.key]: allowOnlyAdmins })
      },
    )
  }

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

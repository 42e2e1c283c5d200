import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TObject, type TSchema, Type } from '@sinclair/typebox'
import { groupJson } from '../../services/groups.service.js'
import type { Services } from '../../services/index.js'
import { Envelope, ok } from './envelope.js'
import {
  asList,
  Details,
  Group,
  GroupJID,
  groupErrors,
  ListedGroup,
  Members,
  ParticipantResults,
} from './group.schemas.js'

const tags = ['Group']
const security = [{ ApiKeyAuth: [] }]
const done = (Details: string) => ok({ Details })
const results = (list: { jid: string; status: string }[]) =>
  list.map((r) => ({ JID: r.jid, Status: r.status }))
const DONE_BY_ACTION: Record<string, string> = {
  add: 'Added to the group',
  remove: 'Removed from the group',
  promote: 'Promoted to admin',
  demote: 'Demoted from admin',
}

/** Groups: /group/* (wuzapi, Miauzap and DIGIGO field names). */
export const groupRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { groups } = services
  const schema = <B extends TObject, D extends TSchema>(summary: string, body: B, data: D) => ({
    tags,
    security,
    summary,
    body,
    response: { 200: Envelope(data), ...groupErrors },
  })

  app.get(
    '/group/list',
    {
      schema: {
        tags,
        security,
        summary: 'Every group the account is in',
        querystring: Type.Object({ ignoreParticipants: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: Envelope(Type.Object({ Groups: Type.Array(ListedGroup) })), ...groupErrors },
      },
    },
    async (req) => {
      const list = await groups.list(req.user!.id)
      return ok({ Groups: list.map((g) => groupJson(g, !req.query.ignoreParticipants)) })
    },
  )

  app.get(
    '/group/info',
    {
      schema: {
        tags,
        security,
        summary: 'A group: name, topic, settings, participants (phone JID and LID)',
        querystring: Type.Object({ GroupJID: GroupJID() }),
        response: { 200: Envelope(Group), ...groupErrors },
      },
    },
    async (req) => ok(groupJson(await groups.info(req.user!.id, req.query.GroupJID))),
  )

  app.get(
    '/group/invitelink',
    {
      schema: {
        tags,
        security,
        summary: 'The invite link of a group (reset: revoke the old one first)',
        querystring: Type.Object({
          GroupJID: GroupJID(),
          Reset: Type.Optional(Type.Boolean({ default: false, 'x-aliases': ['revoke'] })),
        }),
        response: { 200: Envelope(Type.Object({ InviteLink: Type.String() })), ...groupErrors },
      },
    },
    async (req) =>
      ok({ InviteLink: await groups.inviteLink(req.user!.id, req.query.GroupJID, req.query.Reset ?? false) }),
  )

  app.post(
    '/group/create',
    {
      schema: schema(
        'Create a group with participants (phone numbers or JIDs)',
        Type.Object({
          Name: Type.String({ 'x-aliases': ['subject'] }),
          Participants: Members(['phone', 'phones']),
        }),
        Group,
      ),
    },
    async (req) =>
      ok(groupJson(await groups.create(req.user!.id, req.body.Name, asList(req.body.Participants)))),
  )

  app.post(
    '/group/name',
    {
      schema: schema(
        'Rename a group',
        Type.Object({ GroupJID: GroupJID(), Name: Type.String({ 'x-aliases': ['subject'] }) }),
        Details(),
      ),
    },
    async (req) => {
      await groups.setName(req.user!.id, req.body.GroupJID, req.body.Name)
      return done('Group Name set successfully')
    },
  )

  for (const path of ['/group/topic', '/group/description']) {
    app.post(
      path,
      {
        schema: schema(
          'Set (or, empty, remove) the group description',
          Type.Object({
            GroupJID: GroupJID(),
            Topic: Type.String({ 'x-aliases': ['description', 'desc'] }),
          }),
          Details(),
        ),
      },
      async (req) => {
        await groups.setTopic(req.user!.id, req.body.GroupJID, req.body.Topic)
        return done('Group Topic set successfully')
      },
    )
  }

  app.post(
    '/group/announce',
    {
      schema: schema(
        'Only admins may send (announce on) or everyone may (off)',
        Type.Object({ GroupJID: GroupJID(), Announce: Type.Boolean() }),
        Details(),
      ),
    },
    async (req) => {
      await groups.setting(
        req.user!.id,
        req.body.GroupJID,
        req.body.Announce ? 'announcement' : 'not_announcement',
      )
      return done('Group Announce mode set successfully')
    },
  )

  app.post(
    '/group/locked',
    {
      schema: schema(
        'Only admins may edit the group info (locked) or everyone may',
        Type.Object({ GroupJID: GroupJID(), Locked: Type.Boolean() }),
        Details(),
      ),
    },
    async (req) => {
      await groups.setting(req.user!.id, req.body.GroupJID, req.body.Locked ? 'locked' : 'unlocked')
      return done('Group locked setting updated successfully')
    },
  )

  app.post(
    '/group/ephemeral',
    {
      schema: schema(
        'Disappearing messages: 24h, 7d, 90d or off',
        Type.Object({
          GroupJID: GroupJID(),
          Duration: Type.Union([Type.String(), Type.Integer()], { 'x-aliases': ['timer', 'expiration'] }),
        }),
        Details({ DisappearingTimer: Type.Integer() }),
      ),
    },
    async (req) => {
      const seconds = await groups.ephemeral(req.user!.id, req.body.GroupJID, req.body.Duration)
      return ok({ Details: 'Disappearing timer set successfully', DisappearingTimer: seconds })
    },
  )

  app.post(
    '/group/photo',
    {
      schema: schema(
        'Set the group photo (JPEG data URL, base64 or URL)',
        Type.Object({ GroupJID: GroupJID(), Image: Type.String({ 'x-aliases': ['photo', 'picture'] }) }),
        Details({ PictureID: Type.String() }),
      ),
    },
    async (req) => {
      const id = await groups.setPhoto(req.user!.id, req.body.GroupJID, req.body.Image)
      return ok({ Details: 'Group Photo set successfully', PictureID: id })
    },
  )

  app.post(
    '/group/photo/remove',
    { schema: schema('Remove the group photo', Type.Object({ GroupJID: GroupJID() }), Details()) },
    async (req) => {
      await groups.removePhoto(req.user!.id, req.body.GroupJID)
      return done('Group photo removed successfully')
    },
  )

  app.post(
    '/group/leave',
    { schema: schema('Leave a group', Type.Object({ GroupJID: GroupJID() }), Details()) },
    async (req) => {
      await groups.leave(req.user!.id, req.body.GroupJID)
      return done('Left group successfully')
    },
  )

  app.post(
    '/group/join',
    {
      schema: schema(
        'Join a group by invite code or link',
        Type.Object({ Code: Type.String({ 'x-aliases': ['invite', 'link', 'invite_code'] }) }),
        Details({ GroupJID: Type.String(), Pending: Type.Boolean() }),
      ),
    },
    async (req) => {
      const { jid, pending } = await groups.join(req.user!.id, req.body.Code)
      const Details = pending ? 'Join request sent; an admin must approve it' : 'Joined group successfully'
      return ok({ Details, GroupJID: jid, Pending: pending })
    },
  )

  app.post(
    '/group/inviteinfo',
    {
      schema: schema(
        'What group an invite code or link leads to',
        Type.Object({ Code: Type.String({ 'x-aliases': ['invite', 'link', 'invite_code'] }) }),
        Type.Object({
          InviteInfo: Type.Object({ GroupName: Type.String(), GroupJID: Type.String(), ...Group.properties }),
        }),
      ),
    },
    async (req) => {
      const info = await groups.inviteInfo(req.user!.id, req.body.Code)
      return ok({ InviteInfo: { GroupName: info.name, GroupJID: info.jid, ...groupJson(info) } })
    },
  )

  app.post(
    '/group/updateparticipants',
    {
      schema: schema(
        'Add, remove, promote or demote participants',
        Type.Object({
          GroupJID: GroupJID(),
          Action: Type.String({ description: 'add, remove, promote or demote' }),
          Phone: Members(['participants', 'phones', 'jids']),
        }),
        Details({ Participants: ParticipantResults }),
      ),
    },
    async (req) => {
      const { GroupJID: jid, Action, Phone } = req.body
      const list = await groups.participants(req.user!.id, jid, Action, asList(Phone))
      return ok({
        Details: DONE_BY_ACTION[Action.trim().toLowerCase()] ?? 'Done',
        Participants: results(list),
      })
    },
  )

  app.post(
    '/group/requests',
    {
      schema: schema(
        'Pending requests to join a group',
        Type.Object({ GroupJID: GroupJID() }),
        Type.Object({
          GroupJID: Type.String(),
          Requests: Type.Array(
            Type.Object({
              JID: Type.String(),
              PhoneNumber: Type.String(),
              LID: Type.String(),
              RequestedAt: Type.String(),
            }),
          ),
        }),
      ),
    },
    async (req) => {
      const list = await groups.requests(req.user!.id, req.body.GroupJID)
      return ok({
        GroupJID: req.body.GroupJID.trim(),
        Requests: list.map((r) => ({
          JID: r.phone || r.jid,
          PhoneNumber: r.phone,
          LID: r.lid,
          RequestedAt: new Date(r.requestedAt * 1000).toISOString(),
        })),
      })
    },
  )

  app.post(
    '/group/requests/update',
    {
      schema: schema(
        'Approve or reject requests to join a group',
        Type.Object({
          GroupJID: GroupJID(),
          Action: Type.String({ description: 'approve or reject' }),
          Participants: Members(['phone', 'phones', 'jids']),
        }),
        Details({ Participants: ParticipantResults }),
      ),
    },
    async (req) => {
      const { GroupJID: jid, Action, Participants } = req.body
      const list = await groups.updateRequests(req.user!.id, jid, Action, asList(Participants))
      const verb = Action.trim().toLowerCase() === 'approve' ? 'approved' : 'rejected'
      return ok({ Details: `Join requests ${verb}`, Participants: results(list) })
    },
  )

  app.post(
    '/group/link',
    {
      schema: schema(
        'Link a group to a community (or unlink it)',
        Type.Object({
          ParentGroupJID: Type.String({
            minLength: 1,
            'x-aliases': ['parent_jid', 'parent', 'community_jid'],
          }),
          ChildGroupJID: Type.String({ minLength: 1, 'x-aliases': ['child_jid', 'child', 'GroupJID'] }),
          Unlink: Type.Optional(Type.Boolean({ default: false })),
        }),
        Details(),
      ),
    },
    async (req) => {
      const { ParentGroupJID: parent, ChildGroupJID: child, Unlink } = req.body
      if (Unlink) await groups.unlink(req.user!.id, parent, child)
      else await groups.link(req.user!.id, parent, child)
      return done(Unlink ? 'Group unlinked successfully' : 'Group linked successfully')
    },
  )

  app.post(
    '/group/subgroups',
    {
      schema: schema(
        'The groups linked to a community (its announcement group included)',
        Type.Object({ GroupJID: GroupJID(['community_jid', 'parent_jid']) }),
        Type.Object({
          GroupJID: Type.String(),
          SubGroups: Type.Array(
            Type.Object({ JID: Type.String(), Name: Type.String(), IsDefaultSubGroup: Type.Boolean() }),
          ),
        }),
      ),
    },
    async (req) => {
      const list = await groups.subGroups(req.user!.id, req.body.GroupJID)
      return ok({
        GroupJID: req.body.GroupJID.trim(),
        SubGroups: list.map((s) => ({ JID: s.jid, Name: s.name, IsDefaultSubGroup: s.isDefault })),
      })
    },
  )
}

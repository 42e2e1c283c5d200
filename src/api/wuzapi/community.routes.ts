import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TObject, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { asList, GroupJID, groupErrors, Members } from './group.schemas.js'

const tags = ['Community']
const security = [{ ApiKeyAuth: [] }]
/** DIGIGO's community routes answer flat objects (no `code`/`data` envelope). */
const schema = <B extends TObject, A extends TObject>(summary: string, body: B, answer: A) => ({
  tags,
  security,
  summary,
  body,
  response: { 200: Type.Object({ success: Type.Literal(true), ...answer.properties }), ...groupErrors },
})
const Jid = (aliases: string[]) => Type.String({ minLength: 1, 'x-aliases': aliases })
const LinkBody = Type.Object({
  parent_jid: Jid(['ParentGroupJID', 'parent', 'community_jid']),
  child_jid: Jid(['ChildGroupJID', 'child', 'GroupJID']),
})
const LinkAnswer = Type.Object({
  message: Type.String(),
  parent_jid: Type.String(),
  child_jid: Type.String(),
})
const SubGroupsAnswer = Type.Object({
  community_jid: Type.String(),
  linked_groups: Type.Array(Type.String()),
  count: Type.Integer(),
  announcement_group: Type.String({
    description: 'The community’s announcement group (not in linked_groups)',
  }),
})

/** DIGIGO's communities: /community/* (snake_case bodies, flat answers). */
export const communityRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { groups } = services

  app.post(
    '/community/create',
    {
      schema: schema(
        'Create a community (with its announcement group), linking existing groups to it',
        Type.Object({
          name: Type.String({ 'x-aliases': ['subject'] }),
          description: Type.Optional(Type.String({ default: '' })),
          initial_groups: Type.Optional(Type.Array(Type.String(), { default: [], maxItems: 100 })),
        }),
        Type.Object({
          message: Type.String(),
          community_jid: Type.String(),
          name: Type.String(),
          linked_groups: Type.Array(Type.String()),
          linked_count: Type.Integer(),
        }),
      ),
    },
    async (req) => {
      const { name, description, initial_groups } = req.body
      const made = await groups.createCommunity(req.user!.id, name, description ?? '', initial_groups ?? [])
      return {
        success: true as const,
        message: 'Community created successfully',
        community_jid: made.jid,
        name: made.name,
        linked_groups: made.linked,
        linked_count: made.linked.length,
      }
    },
  )

  for (const [path, unlink] of [
    ['/community/link', false],
    ['/community/unlink', true],
  ] as const) {
    app.post(
      path,
      {
        schema: schema(
          unlink ? 'Unlink a group from a community' : 'Link a group to a community',
          LinkBody,
          LinkAnswer,
        ),
      },
      async (req) => {
        const { parent_jid, child_jid } = req.body
        if (unlink) await groups.unlink(req.user!.id, parent_jid, child_jid)
        else await groups.link(req.user!.id, parent_jid, child_jid)
        return {
          success: true as const,
          message: unlink
            ? 'Group unlinked from community successfully'
            : 'Group linked to community successfully',
          parent_jid: parent_jid.trim(),
          child_jid: child_jid.trim(),
        }
      },
    )
  }

  for (const path of ['/community/linked-groups', '/community/sub-groups']) {
    app.post(
      path,
      {
        schema: schema(
          'The groups linked to a community',
          Type.Object({ community_jid: GroupJID(['parent_jid', 'GroupJID']) }),
          SubGroupsAnswer,
        ),
      },
      async (req) => {
        const list = await groups.subGroups(req.user!.id, req.body.community_jid)
        const linked = list.filter((s) => !s.isDefault).map((s) => s.jid)
        return {
          success: true as const,
          community_jid: req.body.community_jid.trim(),
          linked_groups: linked,
          count: linked.length,
          announcement_group: list.find((s) => s.isDefault)?.jid ?? '',
        }
      },
    )
  }

  app.post(
    '/community/requests',
    {
      schema: schema(
        'Pending requests to join a group or community',
        Type.Object({ group_jid: GroupJID(['community_jid']) }),
        Type.Object({
          group_jid: Type.String(),
          requests: Type.Array(
            Type.Object({ jid: Type.String(), lid: Type.String(), request_time: Type.Integer() }),
          ),
          count: Type.Integer(),
        }),
      ),
    },
    async (req) => {
      const list = await groups.requests(req.user!.id, req.body.group_jid)
      return {
        success: true as const,
        group_jid: req.body.group_jid.trim(),
        requests: list.map((r) => ({ jid: r.phone || r.jid, lid: r.lid, request_time: r.requestedAt })),
        count: list.length,
      }
    },
  )

  app.post(
    '/community/requests/update',
    {
      schema: schema(
        'Approve or reject requests to join, in bulk',
        Type.Object({
          group_jid: GroupJID(['community_jid']),
          action: Type.String({ description: 'approve or reject' }),
          participants: Members(['phone', 'phones', 'jids']),
        }),
        Type.Object({
          message: Type.String(),
          group_jid: Type.String(),
          action: Type.String(),
          processed_count: Type.Integer(),
          participants: Type.Array(Type.String()),
        }),
      ),
    },
    async (req) => {
      const { group_jid, action, participants } = req.body
      const list = await groups.updateRequests(req.user!.id, group_jid, action, asList(participants))
      const done = list.filter((r) => r.status === '200').map((r) => r.jid)
      const act = action.trim().toLowerCase()
      return {
        success: true as const,
        message: `Successfully ${act === 'approve' ? 'approved' : 'rejected'} ${done.length} join request(s)`,
        group_jid: group_jid.trim(),
        action: act,
        processed_count: done.length,
        participants: done,
      }
    },
  )

  app.post(
    '/community/announcement',
    {
      schema: schema(
        'Send a text to the community’s announcement group (every member receives it; admins only)',
        Type.Object({
          community_jid: GroupJID(['parent_jid', 'GroupJID']),
          message: Type.String({ 'x-aliases': ['text', 'body'] }),
        }),
        Type.Object({
          message: Type.String(),
          community_jid: Type.String(),
          announcement_text: Type.String(),
          sent_to_groups: Type.Integer(),
          announcement_group: Type.String(),
          message_id: Type.String(),
        }),
      ),
    },
    async (req) => {
      const { community_jid, message } = req.body
      const sent = await groups.announce(req.user!.id, community_jid, message)
      return {
        success: true as const,
        message: 'Announcement sent successfully',
        community_jid: community_jid.trim(),
        announcement_text: message,
        sent_to_groups: 1,
        announcement_group: sent.group,
        message_id: sent.id,
      }
    },
  )
}

import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildren } from 'baileys'
import type { Account } from './accounts.js'
import { badRequest, forbidden, notFound, participant } from './group-nodes.js'
import type { Group, Groups } from './groups.js'

/** Communities: a parent group, its announcement group ("general chat") and the groups linked to it. */

/** Whether `actor`, a member of one of the community's linked groups, may read the community. */
export function readsCommunity(groups: Groups, group: Group, actor: Account): boolean {
  return group.isParent && groups.all().some((g) => g.linkedParent === group.id && g.members.has(actor))
}

/** The `sub_groups` answer: the groups linked to the community `parent`. */
export function subGroups(groups: Groups, parent: Group): BinaryNode[] {
  return [
    {
      tag: 'sub_groups',
      attrs: {},
      content: groups
        .all()
        .filter((g) => g.linkedParent === parent.id)
        .map((g) => ({
          tag: 'group',
          attrs: { id: g.id, subject: g.subject, creation: g.creation, size: String(g.members.size) },
          content: g.isDefaultSubGroup ? [{ tag: 'default_sub_group', attrs: {} }] : [],
        })),
    },
  ]
}

/** The community a new group asks to be linked to (`<linked_parent>`), when its creator admins it. */
export function requestedParent(groups: Groups, op: BinaryNode, creator: Account): string | undefined {
  const parent = groups.get(getBinaryNodeChild(op, 'linked_parent')?.attrs.jid ?? '')
  return parent?.isParent && parent.members.get(creator) ? parent.id : undefined
}

/** A new community's announcement group ("general chat"), where only admins send. */
export function createGeneralChat(groups: Groups, community: Group, creator: Account) {
  const general = groups.create(creator, {
    tag: 'create',
    attrs: { subject: community.subject },
    content: [],
  })
  const announcement = groups.get(general.attrs.id ?? '')!
  announcement.announce = true
  announcement.isDefaultSubGroup = true
  announcement.linkedParent = community.id
}

/** Links groups to (or unlinks them from) the community `parent`; the actor must admin both. */
export function changeLinks(groups: Groups, parent: Group, actor: Account, op: BinaryNode): BinaryNode[] {
  if (!parent.isParent) return badRequest()
  const link = op.tag === 'links'
  const nodes = link
    ? getBinaryNodeChildren(op, 'link').flatMap((l) => getBinaryNodeChildren(l, 'group'))
    : getBinaryNodeChildren(op, 'group')
  const announcement = groups.all().find((g) => g.isDefaultSubGroup && g.linkedParent === parent.id)
  for (const node of nodes) {
    const child = groups.get(node.attrs.jid ?? '')
    if (!child) return notFound()
    if (!child.members.get(actor)) return forbidden()
    if (child.isParent || child.isDefaultSubGroup) return badRequest()
    if (link && child.linkedParent && child.linkedParent !== parent.id)
      return [{ tag: 'error', attrs: { code: '409', text: 'conflict' } }]
    if (!link && child.linkedParent !== parent.id) return notFound()
    child.linkedParent = link ? parent.id : undefined
    if (link && announcement) {
      // The linked group's members become members of the community's announcement group.
      const joining = [...child.members.keys()].filter((a) => !announcement.members.has(a))
      for (const a of joining) announcement.members.set(a, null)
      if (joining.length > 0)
        groups.notify(announcement, actor, {
          tag: 'add',
          attrs: { reason: 'linked_group_join' },
          content: joining.map((a) => participant(a)),
        })
    }
  }
  return link
    ? [
        {
          tag: 'links',
          attrs: {},
          content: [{ tag: 'link', attrs: { link_type: 'sub_group' }, content: nodes }],
        },
      ]
    : [{ tag: 'unlink', attrs: { unlink_type: 'sub_group' }, content: nodes }]
}

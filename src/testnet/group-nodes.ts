import type { BinaryNode } from 'baileys'
import { type Account, lidJid, pnJid } from './accounts.js'
import type { Group, Role } from './groups.js'

/** The nodes the `w:g2` answers and `w:gp2` notifications are made of. */

export const children = (node: BinaryNode | undefined): BinaryNode[] =>
  Array.isArray(node?.content) ? node.content : []
export const text = (node: BinaryNode | undefined) =>
  node?.content instanceof Uint8Array ? Buffer.from(node.content).toString() : String(node?.content ?? '')
export const forbidden = (): BinaryNode[] => [{ tag: 'error', attrs: { code: '403', text: 'forbidden' } }]
export const notFound = (): BinaryNode[] => [{ tag: 'error', attrs: { code: '404', text: 'item-not-found' } }]
export const badRequest = (): BinaryNode[] => [{ tag: 'error', attrs: { code: '400', text: 'bad-request' } }]

export function participant(account: Account, role?: Role): BinaryNode {
  return {
    tag: 'participant',
    attrs: { jid: pnJid(account.phone), lid: lidJid(account.lid), ...(role ? { type: role } : {}) },
  }
}

/** A requester as WhatsApp names one in membership-request notifications (LID, phone alongside). */
export function requester(account: Account): BinaryNode {
  return { tag: 'participant', attrs: { jid: lidJid(account.lid), phone_number: pnJid(account.phone) } }
}

/** The `<group>` node Baileys' `extractGroupMetadata` reads. */
export function groupNode(group: Group): BinaryNode {
  const content: BinaryNode[] = [...group.members].map(([account, role]) => participant(account, role))
  if (group.description) {
    content.push({
      tag: 'description',
      attrs: { id: 'desc', participant: pnJid(group.creator.phone), t: group.creation },
      content: [{ tag: 'body', attrs: {}, content: group.description }],
    })
  }
  if (group.announce) content.push({ tag: 'announcement', attrs: {} })
  if (group.locked) content.push({ tag: 'locked', attrs: {} })
  if (group.ephemeral > 0) content.push({ tag: 'ephemeral', attrs: { expiration: String(group.ephemeral) } })
  if (group.joinApproval)
    content.push({
      tag: 'membership_approval_mode',
      attrs: {},
      content: [{ tag: 'group_join', attrs: { state: 'on' } }],
    })
  content.push({
    tag: 'member_add_mode',
    attrs: {},
    content: Buffer.from(group.allMembersAdd ? 'all_member_add' : 'admin_add'),
  })
  if (group.isParent)
    content.push({ tag: 'parent', attrs: { default_membership_approval_mode: 'request_required' } })
  if (group.linkedParent) content.push({ tag: 'linked_parent', attrs: { jid: `${group.linkedParent}@g.us` } })
  if (group.isDefaultSubGroup) content.push({ tag: 'default_sub_group', attrs: {} })
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

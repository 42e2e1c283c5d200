import { Type } from '@sinclair/typebox'
import type { GroupInfo } from '../../services/groups.service.js'
import type { IdentityService } from '../../services/identity.service.js'
import { bare } from '../../services/recipient.js'

const Str = Type.String()

export const Participant = Type.Object({
  id: Type.String({ description: 'The phone JID (the LID when WhatsApp gave no phone number)' }),
  admin: Type.Union([Type.Literal('admin'), Type.Literal('superadmin'), Type.Null()], {
    description: 'null: not an admin; admin; superadmin: the creator',
  }),
  phoneNumber: Type.String({ description: "Zapwire: the phone JID ('' when unknown)" }),
  lid: Type.String({ description: "Zapwire: the LID ('' when unknown)" }),
})

/** A group in Mega-api's (Baileys' `GroupMetadata`) field names, plus phone JIDs and LIDs. */
export const GroupFields = {
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
export const Group = Type.Object(GroupFields)

export const groupOut = (g: GroupInfo) => {
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

export const Listed = {
  status: Type.Boolean({ description: 'true: it worked (these two routes say `status`, not `error`)' }),
  message: Str,
  groups: Type.Array(Group),
  communitys: Type.Array(Group, { description: 'Communities (parent groups), Mega-api’s spelling (sic)' }),
}

export const Updated = Type.Object({
  jid: Type.String({ description: 'The participant (phone JID when known)' }),
  lid: Type.String({ description: "Zapwire: its LID ('' when unknown)" }),
  status: Type.String({
    description: 'WhatsApp’s answer for it: 200 done; 403 not allowed; 404 not a member; 409 already…',
  }),
})

export const DONE: Record<string, string> = {
  add: 'Participants added',
  remove: 'Participants removed',
  promote: 'Participants promoted',
  demote: 'Participants demoted',
}

/** group/list and adminGroups: `status` (not `error`), groups and communities (parents) apart. */
export const listed = (list: GroupInfo[], message: string) => ({
  status: true,
  message,
  groups: list.filter((g) => !g.isParent).map(groupOut),
  communitys: list.filter((g) => g.isParent).map(groupOut),
})

/** The groups where this account (its phone JID or LID) is an admin. */
export function adminOnly(list: GroupInfo[], me: { jid?: string | undefined; lid?: string | undefined }) {
  const mine = new Set([me.jid, me.lid].filter((j): j is string => Boolean(j)).map(bare))
  return list.filter((g) =>
    g.members.some((m) => (m.admin || m.superAdmin) && [m.jid, m.phone, m.lid].some((j) => mine.has(j))),
  )
}

/** Each participant's outcome with its phone JID and LID. */
export const updatedView = (
  identity: IdentityService,
  userId: string,
  results: { jid: string; status: string }[],
) =>
  Promise.all(
    results.map(async (r) => {
      const { pn, lid } = await identity.both(userId, r.jid, undefined)
      return { jid: pn || r.jid, lid, status: r.status }
    }),
  )

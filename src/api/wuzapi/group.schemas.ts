import { type TSchema, Type } from '@sinclair/typebox'
import { errorResponses } from './envelope.js'

const ref = Type.Ref('WuzapiError')

/** The error statuses a group route can answer (403 not admin, 404 no group, 409 not connected…). */
export const groupErrors = { ...errorResponses, 403: ref, 404: ref, 409: ref, 422: ref }

export const GroupJID = (aliases: string[] = []) =>
  Type.String({
    minLength: 1,
    description: 'Group JID, e.g. 120363312246943103@g.us',
    'x-aliases': ['jid', 'group', 'group_jid', ...aliases],
  })

/** whatsmeow's `types.GroupParticipant` (JID: phone JID when known; LID alongside). */
export const Participant = Type.Object({
  JID: Type.String(),
  PhoneNumber: Type.String(),
  LID: Type.String(),
  IsAdmin: Type.Boolean(),
  IsSuperAdmin: Type.Boolean(),
  DisplayName: Type.String(),
  Error: Type.Integer(),
})

const groupFields = {
  JID: Type.String(),
  OwnerJID: Type.String(),
  OwnerPN: Type.String(),
  Name: Type.String(),
  NameSetAt: Type.String(),
  NameSetBy: Type.String(),
  NameSetByPN: Type.String(),
  Topic: Type.String(),
  TopicID: Type.String(),
  TopicSetAt: Type.String(),
  TopicSetBy: Type.String(),
  TopicSetByPN: Type.String(),
  TopicDeleted: Type.Boolean(),
  IsLocked: Type.Boolean(),
  IsAnnounce: Type.Boolean(),
  AnnounceVersionID: Type.String(),
  IsEphemeral: Type.Boolean(),
  DisappearingTimer: Type.Integer(),
  IsIncognito: Type.Boolean(),
  IsParent: Type.Boolean(),
  DefaultMembershipApprovalMode: Type.String(),
  LinkedParentJID: Type.String(),
  IsDefaultSubGroup: Type.Boolean(),
  IsJoinApprovalRequired: Type.Boolean(),
  AddressingMode: Type.String(),
  GroupCreated: Type.String(),
  CreatorCountryCode: Type.String(),
  ParticipantVersionID: Type.String(),
  MemberAddMode: Type.String(),
}

/** whatsmeow's `types.GroupInfo`, as wuzapi answers it. */
export const Group = Type.Object({ ...groupFields, Participants: Type.Array(Participant) })
/** A group in `/group/list` (Participants left out with `ignoreParticipants`). */
export const ListedGroup = Type.Object({
  ...groupFields,
  Participants: Type.Optional(Type.Array(Participant)),
})

export const Details = (extra: Record<string, TSchema> = {}) =>
  Type.Object({ Details: Type.String(), ...extra })

export const ParticipantResults = Type.Array(Type.Object({ JID: Type.String(), Status: Type.String() }))

/** Phone numbers or user JIDs (a single string is taken as a list of one). */
export const Members = (aliases: string[]) =>
  Type.Union([Type.Array(Type.String(), { maxItems: 1024 }), Type.String()], { 'x-aliases': aliases })

export const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value])

/** Groups and communities (w:g2 IQs): what the services need from the engine. */

/** One member of a group: phone JID and LID as far as WhatsApp told them ('' when unknown). */
export interface GroupMember {
  /** The address WhatsApp listed the member under (phone JID in PN groups, LID in LID groups). */
  jid: string
  phone: string
  lid: string
  admin: boolean
  superAdmin: boolean
}

/** A group (or community parent) as WhatsApp describes it; times are unix seconds (0: unset). */
export interface GroupInfo {
  jid: string
  name: string
  nameSetAt: number
  nameSetBy: string
  nameSetByPn: string
  owner: string
  ownerPn: string
  topic: string
  topicId: string
  topicSetAt: number
  topicSetBy: string
  topicSetByPn: string
  locked: boolean
  announce: boolean
  /** Disappearing-message timer in seconds (0: off). */
  ephemeralSeconds: number
  joinApproval: boolean
  /** True when every member may add members (WhatsApp's `all_member_add`). */
  allMembersAdd: boolean
  /** A community's parent group. */
  isParent: boolean
  /** A community's announcement group. */
  isDefaultSubGroup: boolean
  /** The community this group is linked to ('' when none). */
  linkedParent: string
  created: number
  addressingMode: 'pn' | 'lid'
  members: GroupMember[]
}

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote'
export type GroupSetting = 'announcement' | 'not_announcement' | 'locked' | 'unlocked'

/** What happened to one participant of a bulk change: WhatsApp's status per JID ('200': done). */
export interface ParticipantResult {
  jid: string
  status: string
}

export interface JoinRequest {
  jid: string
  phone: string
  lid: string
  /** Unix seconds. */
  requestedAt: number
}

export interface SubGroup {
  jid: string
  name: string
  isDefault: boolean
}

export interface GroupsPort {
  groupCreate(name: string, participants: string[]): Promise<GroupInfo>
  groupInfo(jid: string): Promise<GroupInfo>
  /** Every group the account is in. */
  groupList(): Promise<GroupInfo[]>
  /** The invite code; `reset` revokes the old one first. */
  groupInviteCode(jid: string, reset: boolean): Promise<string>
  /** Joins by invite code; resolves with the group's JID, or `pending` when an admin must approve. */
  groupJoin(code: string): Promise<{ jid: string; pending: boolean }>
  groupInviteInfo(code: string): Promise<GroupInfo>
  groupLeave(jid: string): Promise<void>
  groupSetName(jid: string, name: string): Promise<void>
  /** Sets the description ('' removes it). */
  groupSetTopic(jid: string, topic: string): Promise<void>
  groupSetting(jid: string, setting: GroupSetting): Promise<void>
  groupSetEphemeral(jid: string, seconds: number): Promise<void>
  groupParticipants(
    jid: string,
    participants: string[],
    action: ParticipantAction,
  ): Promise<ParticipantResult[]>
  /** Sets the group's picture from a JPEG/PNG; resolves with WhatsApp's picture id ('' if none). */
  groupSetPhoto(jid: string, image: Buffer): Promise<string>
  groupRemovePhoto(jid: string): Promise<void>
  groupRequests(jid: string): Promise<JoinRequest[]>
  groupRequestsUpdate(
    jid: string,
    participants: string[],
    action: 'approve' | 'reject',
  ): Promise<ParticipantResult[]>
  /** Creates a community (a parent group, with its announcement group); resolves with the parent. */
  communityCreate(name: string, description: string): Promise<GroupInfo>
  communityLink(parent: string, child: string): Promise<void>
  communityUnlink(parent: string, child: string): Promise<void>
  /** The groups linked to a community, its announcement group included. */
  communitySubGroups(parent: string): Promise<SubGroup[]>
}

const ZERO_TIME = '0001-01-01T00:00:00Z'
const time = (seconds: number) => (seconds > 0 ? new Date(seconds * 1000).toISOString() : ZERO_TIME)

/** A member in whatsmeow's `types.GroupParticipant` JSON shape (JID: the phone JID when known). */
export const memberJson = (m: GroupMember) => ({
  JID: m.phone || m.jid,
  PhoneNumber: m.phone,
  LID: m.lid,
  IsAdmin: m.admin,
  IsSuperAdmin: m.superAdmin,
  DisplayName: '',
  Error: 0,
})

/** A group in whatsmeow's `types.GroupInfo` JSON shape (what wuzapi answers and puts in events). */
export function groupJson(g: GroupInfo, withMembers = true) {
  return {
    JID: g.jid,
    OwnerJID: g.ownerPn || g.owner,
    OwnerPN: g.ownerPn,
    Name: g.name,
    NameSetAt: time(g.nameSetAt),
    NameSetBy: g.nameSetByPn || g.nameSetBy,
    NameSetByPN: g.nameSetByPn,
    Topic: g.topic,
    TopicID: g.topicId,
    TopicSetAt: time(g.topicSetAt),
    TopicSetBy: g.topicSetByPn || g.topicSetBy,
    TopicSetByPN: g.topicSetByPn,
    TopicDeleted: false,
    IsLocked: g.locked,
    IsAnnounce: g.announce,
    AnnounceVersionID: '',
    IsEphemeral: g.ephemeralSeconds > 0,
    DisappearingTimer: g.ephemeralSeconds,
    IsIncognito: false,
    IsParent: g.isParent,
    DefaultMembershipApprovalMode: g.isParent ? 'request_required' : '',
    LinkedParentJID: g.linkedParent,
    IsDefaultSubGroup: g.isDefaultSubGroup,
    IsJoinApprovalRequired: g.joinApproval,
    AddressingMode: g.addressingMode,
    GroupCreated: time(g.created),
    CreatorCountryCode: '',
    ParticipantVersionID: '',
    MemberAddMode: g.allMembersAdd ? 'all_member_add' : 'admin_add',
    ...(withMembers ? { Participants: g.members.map(memberJson) } : {}),
  }
}

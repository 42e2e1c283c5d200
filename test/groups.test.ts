import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import sharp from 'sharp'
import type { VirtualContact } from '../src/testnet/contact.js'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp, userRequests } from './helpers/app.js'
import { DIALECTS } from './helpers/databases.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

// Group logic barely touches the database: one dialect keeps the machine free for the others.
const dialect = DIALECTS.includes('sqlite') ? 'sqlite' : DIALECTS[0]!

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read loosely by the assertions
type Json = Record<string, any>

describe(`${dialect}: groups and communities against the test network`, () => {
  const network = useNetwork()
  const t = useApp(dialect, () => ({ ZAPWIRE_TESTNET: network.net.running.info.controlUrl }))
  const me = '55219930001'
  const ann = '55219930002'
  const ben = '55219930003'
  const cid = '55219930004'
  const dan = '55219930005'
  const pn = (phone: string) => `${phone}@s.whatsapp.net`
  let token = ''
  let A: VirtualContact
  let B: VirtualContact
  let C: VirtualContact
  let D: VirtualContact
  let team = ''
  const user = userRequests(t, () => token)
  const { post, get } = user
  const events = (type: string) => user.events<{ chat: string; data: Json }>(type)
  const event = (type: string, match: (data: Json) => boolean) =>
    eventually(`a ${type} event`, async () => (await events(type)).find((e) => match(e.data))?.data, 15_000)
  const group = (jid: string) => network.net.network.groups.get(jid)!
  const memberPhones = (jid: string) => [...group(jid).members.keys()].map((a) => a.phone).sort()

  before(async () => {
    A = await network.net.contact(ann, 'Ann')
    B = await network.net.contact(ben, 'Ben')
    C = await network.net.contact(cid, 'Cid')
    D = await network.net.contact(dan, 'Dan')
    token = (await createUser(t, { name: 'groups' })).token
    await linkSession(t, network.net, token, me, 'Shop')
  })

  it('creates a group with two contacts: their clients get it, and JoinedGroup reaches the outbox', async () => {
    const seenByAnn = A.client.waitFor('groups.upsert', (gs) => gs.some((g) => g.subject === 'Team'))
    const res = await post('/group/create', { Name: 'Team', Participants: [ann, `+${ben}`] })
    assert.equal(res.statusCode, 200, res.body)
    const data = res.json().data
    team = data.JID
    assert.match(team, /^\d+@g\.us$/)
    assert.equal(data.Name, 'Team')
    assert.equal(data.OwnerJID, pn(me))
    assert.equal(data.Participants.length, 3)
    const mine = data.Participants.find((p: Json) => p.JID === pn(me))
    assert.equal(mine.IsSuperAdmin, true)
    for (const p of data.Participants) {
      assert.equal(p.PhoneNumber, p.JID)
      assert.match(p.LID, /^\d+@lid$/)
    }
    assert.deepEqual(memberPhones(team), [me, ann, ben].sort())
    await seenByAnn
    const bens = await B.client.socket!.groupFetchAllParticipating()
    assert.equal(bens[team]?.subject, 'Team')
    const joined = await event('JoinedGroup', (d) => d.JID === team)
    assert.equal(joined.Name, 'Team')
    assert.equal(joined.Participants.length, 3)
    assert.match(joined.Participants[0].LID, /@lid$/)
  })

  it('answers the group info (query or JSON body) and the list (without participants on request)', async () => {
    const info = await get(`/group/info?groupJID=${team}`)
    assert.equal(info.statusCode, 200, info.body)
    assert.equal(info.json().data.JID, team)
    const byBody = await t.app.inject({
      method: 'GET',
      url: '/group/info',
      headers: { token },
      payload: { GroupJID: team },
    })
    assert.equal(byBody.json().data.Name, 'Team')
    const list = (await get('/group/list')).json().data.Groups as Json[]
    assert.equal(list.find((g) => g.JID === team)?.Participants.length, 3)
    const slim = (await get('/group/list?ignoreParticipants=true')).json().data.Groups as Json[]
    assert.equal(slim.find((g) => g.JID === team)?.Participants, undefined)
  })

  it('rename, topic, announce and locked: a member’s client sees them, the gateway reports GroupInfo', async () => {
    const renamed = A.client.waitFor('groups.update', (us) => us.some((u) => u.subject === 'Renamed'))
    assert.equal(
      (await post('/group/name', { GroupJID: team, Name: 'Renamed' })).json().data.Details,
      'Group Name set successfully',
    )
    await renamed
    assert.equal((await post('/group/topic', { GroupJID: team, Topic: 'all about us' })).statusCode, 200)
    assert.equal((await post('/group/announce', { GroupJID: team, Announce: true })).statusCode, 200)
    assert.equal((await post('/group/locked', { GroupJID: team, Locked: true })).statusCode, 200)
    const seen = await A.client.socket!.groupMetadata(team)
    assert.equal(seen.subject, 'Renamed')
    assert.equal(seen.desc, 'all about us')
    assert.equal(seen.announce, true)
    assert.equal(seen.restrict, true)
    const name = await event('GroupInfo', (d) => d.JID === team && d.Name?.Name === 'Renamed')
    assert.equal(name.Sender, pn(me))
    assert.match(name.SenderLID, /@lid$/)
    await event('GroupInfo', (d) => d.JID === team && d.Topic?.Topic === 'all about us')
    await event('GroupInfo', (d) => d.JID === team && d.Announce?.IsAnnounce === true)
    await event('GroupInfo', (d) => d.JID === team && d.Locked?.IsLocked === true)
    // Each GroupInfo is also a `group.update` monitoring record.
    const records = await eventually('group.update records', async () => {
      const res = await t.admin({
        method: 'GET',
        url: '/admin/events/history?event_type=group.update&limit=100',
      })
      const list = res.json().events as Json[]
      return list.length >= 4 ? list : undefined
    })
    assert.ok(records.every((r) => r.event_type === 'group.update'))
    // The old spelling of the topic route.
    assert.equal((await post('/group/description', { GroupJID: team, Description: 'v2' })).statusCode, 200)
    await eventually('the new description', () => group(team).description === 'v2' || undefined)
  })

  it('adds, promotes, demotes and removes participants', async () => {
    const cidSees = C.client.waitFor('group-participants.update', (u) => u.id === team && u.action === 'add')
    const add = await post('/group/updateparticipants', { GroupJID: team, Action: 'add', Phone: [cid] })
    assert.equal(add.statusCode, 200, add.body)
    assert.equal(add.json().data.Details, 'Added to the group')
    assert.deepEqual(add.json().data.Participants, [{ JID: pn(cid), Status: '200' }])
    await cidSees
    const joined = await event('GroupInfo', (d) => d.JID === team && d.Join?.includes(pn(cid)))
    assert.match(joined.JoinLID[0], /@lid$/)
    assert.equal(
      (await post('/group/updateparticipants', { GroupJID: team, Action: 'promote', Phone: [ann] }))
        .statusCode,
      200,
    )
    assert.equal(group(team).members.get(network.net.network.accounts.get(ann)!), 'admin')
    await event('GroupInfo', (d) => d.JID === team && d.Promote?.includes(pn(ann)))
    assert.equal(
      (await post('/group/updateparticipants', { GroupJID: team, Action: 'demote', Phone: [ann] }))
        .statusCode,
      200,
    )
    assert.equal(group(team).members.get(network.net.network.accounts.get(ann)!), null)
    const cidLeft = C.client.waitFor(
      'group-participants.update',
      (u) => u.id === team && u.action === 'remove',
    )
    assert.equal(
      (await post('/group/updateparticipants', { GroupJID: team, Action: 'remove', Phone: [cid] }))
        .statusCode,
      200,
    )
    await cidLeft
    assert.deepEqual(memberPhones(team), [me, ann, ben].sort())
    await event('GroupInfo', (d) => d.JID === team && d.Leave?.includes(pn(cid)))
    // Removing someone who is not a member changes no one: WhatsApp's refusal, as a 4xx.
    const again = await post('/group/updateparticipants', { GroupJID: team, Action: 'remove', Phone: [cid] })
    assert.equal(again.statusCode, 404, again.body)
  })

  it('invite link (get, reset), invite info, a contact joins by link, the session joins and leaves another', async () => {
    const first = (await get(`/group/invitelink?groupJID=${team}`)).json().data.InviteLink as string
    assert.match(first, /^https:\/\/chat\.whatsapp\.com\/[\w-]+$/)
    const reset = (await get(`/group/invitelink?groupJID=${team}&reset=true`)).json().data
      .InviteLink as string
    assert.notEqual(reset, first)
    assert.equal(reset, `https://chat.whatsapp.com/${group(team).inviteCode}`)
    const info = await post('/group/inviteinfo', { Code: reset })
    assert.equal(info.statusCode, 200, info.body)
    assert.equal(info.json().data.InviteInfo.GroupJID, team)
    assert.equal(info.json().data.InviteInfo.GroupName, 'Renamed')
    const code = reset.split('/').pop()!
    assert.equal(await C.client.socket!.groupAcceptInvite(code), team)
    assert.ok(memberPhones(team).includes(cid))
    await event('GroupInfo', (d) => d.JID === team && d.Join?.includes(pn(cid)) && d.Sender === pn(cid))
    // The old code no longer works.
    assert.equal((await post('/group/inviteinfo', { Code: first.split('/').pop() })).statusCode, 404)

    const other = await A.client.socket!.groupCreate('Ann’s', [pn(ben)])
    const annCode = await A.client.socket!.groupInviteCode(other.id)
    const join = await post('/group/join', { Code: `https://chat.whatsapp.com/${annCode}` })
    assert.equal(join.statusCode, 200, join.body)
    assert.deepEqual(join.json().data, {
      Details: 'Joined group successfully',
      GroupJID: other.id,
      Pending: false,
    })
    const joined = await event('JoinedGroup', (d) => d.JID === other.id)
    assert.equal(joined.Name, 'Ann’s')
    const annSees = A.client.waitFor(
      'group-participants.update',
      (u) => u.id === other.id && u.action === 'remove',
    )
    assert.equal(
      (await post('/group/leave', { GroupJID: other.id })).json().data.Details,
      'Left group successfully',
    )
    await annSees
    assert.ok(!memberPhones(other.id).includes(me))
  })

  it('a change only admins may make is refused with 403 when the session is not an admin', async () => {
    const theirs = await A.client.socket!.groupCreate('Ann admin', [pn(me)])
    await event('JoinedGroup', (d) => d.JID === theirs.id)
    const res = await post('/group/updateparticipants', { GroupJID: theirs.id, Action: 'add', Phone: [dan] })
    assert.equal(res.statusCode, 403, res.body)
    assert.equal(res.json().whatsapp_code, 403)
    assert.equal((await post('/group/announce', { GroupJID: theirs.id, Announce: true })).statusCode, 403)
    // Not a member at all: the group info is refused too.
    const dans = await D.client.socket!.groupCreate('Dan alone', [])
    assert.equal((await get(`/group/info?groupJID=${dans.id}`)).statusCode, 403)
  })

  it('disappearing messages: the timer reaches the members and is reported', async () => {
    const res = await post('/group/ephemeral', { GroupJID: team, Duration: '7d' })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(group(team).ephemeral, 604_800)
    assert.equal((await A.client.socket!.groupMetadata(team)).ephemeralDuration, 604_800)
    await event('GroupInfo', (d) => d.JID === team && d.Ephemeral?.DisappearingTimer === 604_800)
    assert.equal((await post('/group/ephemeral', { GroupJID: team, Duration: 'off' })).statusCode, 200)
    assert.equal(group(team).ephemeral, 0)
    assert.equal((await get(`/group/info?groupJID=${team}`)).json().data.IsEphemeral, false)
  })

  it('sets and removes the group photo: members see it, Picture events report it', async () => {
    const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#c00' } })
      .jpeg()
      .toBuffer()
    const res = await post('/group/photo', {
      GroupJID: team,
      Image: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
    })
    assert.equal(res.statusCode, 200, res.body)
    const id = res.json().data.PictureID
    assert.equal(id, group(team).picture?.id)
    assert.ok(await A.client.socket!.profilePictureUrl(team))
    const set = await event('Picture', (d) => d.JID === team && d.PictureID === id)
    assert.equal(set.Remove, false)
    assert.equal(set.Author, pn(me))
    assert.equal((await post('/group/photo/remove', { GroupJID: team })).statusCode, 200)
    assert.equal(group(team).picture, undefined)
    await event('Picture', (d) => d.JID === team && d.Remove === true)
    const notImage = await post('/group/photo', {
      GroupJID: team,
      Image: `data:text/plain;base64,${Buffer.from('hello').toString('base64')}`,
    })
    assert.equal(notImage.statusCode, 400, notImage.body)
  })

  it('join requests: a contact asks by link, the request is listed and approved', async () => {
    group(team).joinApproval = true
    const code = group(team).inviteCode
    assert.equal(await D.client.socket!.groupAcceptInvite(code), undefined)
    assert.ok(!memberPhones(team).includes(dan))
    const asked = await event('GroupInfo', (d) => d.JID === team && d.JoinRequest?.PN === pn(dan))
    assert.equal(asked.JoinRequest.Action, 'created')
    const list = await post('/group/requests', { GroupJID: team })
    assert.equal(list.statusCode, 200, list.body)
    assert.equal(list.json().data.Requests[0].JID, pn(dan))
    assert.match(list.json().data.Requests[0].LID, /@lid$/)
    const flat = (await post('/community/requests', { group_jid: team })).json()
    assert.equal(flat.count, 1)
    assert.equal(flat.requests[0].jid, pn(dan))
    const danSees = D.client.waitFor('group-participants.update', (u) => u.id === team && u.action === 'add')
    const approve = await post('/community/requests/update', {
      group_jid: team,
      action: 'approve',
      participants: [dan],
    })
    assert.equal(approve.statusCode, 200, approve.body)
    assert.equal(approve.json().processed_count, 1)
    await danSees
    assert.ok(memberPhones(team).includes(dan))
    // Nothing is pending any more: a second answer changes no one.
    const none = await post('/group/requests/update', {
      GroupJID: team,
      Action: 'reject',
      Participants: [dan],
    })
    assert.equal(none.statusCode, 404, none.body)
    group(team).joinApproval = false
  })

  it('communities: create with a linked group, list, unlink, link, announce to every member', async () => {
    const made = await post('/community/create', {
      name: 'Hood',
      description: 'our hood',
      initial_groups: [team],
    })
    assert.equal(made.statusCode, 200, made.body)
    const hood = made.json().community_jid as string
    assert.deepEqual(made.json().linked_groups, [team])
    assert.equal(group(hood).isParent, true)
    assert.equal(group(team).linkedParent, hood.split('@')[0])
    const linked = (await post('/community/linked-groups', { community_jid: hood })).json()
    assert.deepEqual(linked.linked_groups, [team])
    assert.match(linked.announcement_group, /@g\.us$/)
    const subs = (await post('/group/subgroups', { GroupJID: hood })).json().data.SubGroups as Json[]
    assert.equal(subs.length, 2)
    assert.equal(subs.find((s) => s.IsDefaultSubGroup)?.JID, linked.announcement_group)
    assert.equal((await A.client.socket!.groupMetadata(team)).linkedParent, hood)
    // Baileys' own community reader, on a member's client, finds the same links.
    const fetched = await A.client.socket!.communityFetchLinkedGroups(team)
    assert.equal(fetched.communityJid, hood)
    assert.ok(fetched.linkedGroups.some((g) => g.id === team))

    assert.equal(
      (await post('/community/unlink', { parent_jid: hood, child_jid: team })).json().message,
      'Group unlinked from community successfully',
    )
    assert.equal(group(team).linkedParent, undefined)
    assert.deepEqual((await post('/community/sub-groups', { community_jid: hood })).json().linked_groups, [])
    assert.equal((await post('/group/link', { ParentGroupJID: hood, ChildGroupJID: team })).statusCode, 200)
    assert.equal(group(team).linkedParent, hood.split('@')[0])
    assert.equal((await post('/community/link', { parent_jid: hood, child_jid: team })).statusCode, 200)

    const sent = await post('/community/announcement', { community_jid: hood, message: 'hello hood' })
    assert.equal(sent.statusCode, 200, sent.body)
    assert.equal(sent.json().announcement_group, linked.announcement_group)
    const got = await network.net.inbox(ann, (m) => m.text === 'hello hood')
    assert.equal(got.chat, linked.announcement_group)
  })

  it('refuses bad input with 400 before asking WhatsApp', async () => {
    const cases: [string, string, object][] = [
      ['GET', `/group/info?groupJID=${pn(ann)}`, {}],
      ['GET', '/group/info', {}],
      ['POST', '/group/create', { Name: '  ', Participants: [ann] }],
      ['POST', '/group/create', { Name: 'x', Participants: ['not a phone'] }],
      ['POST', '/group/name', { GroupJID: team, Name: '' }],
      ['POST', '/group/updateparticipants', { GroupJID: team, Action: 'kick', Phone: [ann] }],
      ['POST', '/group/updateparticipants', { GroupJID: team, Action: 'add', Phone: [] }],
      ['POST', '/group/ephemeral', { GroupJID: team, Duration: '5d' }],
      ['POST', '/group/join', { Code: '!' }],
      ['POST', '/group/announce', { GroupJID: 'abc', Announce: true }],
      ['POST', '/community/requests/update', { group_jid: team, action: 'maybe', participants: [dan] }],
      ['POST', '/community/link', { parent_jid: '120363025246487852@newsletter', child_jid: team }],
      ['POST', '/community/create', { name: '' }],
      ['POST', '/community/announcement', { community_jid: team, message: ' ' }],
    ]
    for (const [method, url, payload] of cases) {
      const res =
        method === 'GET'
          ? await get(url)
          : await t.app.inject({ method: 'POST', url, headers: { token }, payload })
      assert.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}: ${res.body}`)
      assert.equal(res.json().success, false)
    }
  })
})

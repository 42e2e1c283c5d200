import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { proto } from 'baileys'
import { lidJid } from '../src/testnet/accounts.js'
import type { VirtualContact } from '../src/testnet/contact.js'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp, userRequests } from './helpers/app.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read loosely by the assertions
type Json = Record<string, any>

describe('Mega-api dialect: chat and group routes against the test network', () => {
  const network = useNetwork()
  const t = useApp('sqlite', () => ({ ZAPWIRE_TESTNET: network.net.running.info.controlUrl }))
  const KEY = 'megaapi-ChatGroup1'
  const me = '5521996000001'
  const ann = '5521996000002'
  const ben = '5521996000003'
  const cid = '5521996000004'
  const pn = (phone: string) => `${phone}@s.whatsapp.net`
  let token = ''
  let A: VirtualContact
  let B: VirtualContact
  let C: VirtualContact
  let team = ''

  const rest = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/rest${url.replace('{k}', KEY)}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    })
  const post = (url: string, payload: object) => rest('POST', url, payload)
  const events = (type: string) => userRequests(t, () => token).events<{ data: Json }>(type)
  const account = (phone: string) => network.net.network.accounts.get(phone)!
  const mutations = () => account(me).appStateMutations
  const group = (jid: string) => network.net.network.groups.get(jid)!
  const memberPhones = (jid: string) => [...group(jid).members.keys()].map((a) => a.phone).sort()
  /** A contact's message to the session, once the gateway has it. */
  const inbound = async (from: VirtualContact, text: string) => {
    const id = await from.send({ to: pn(me), text })
    const event = await eventually(
      `the message “${text}”`,
      async () => (await events('Message')).find((e) => e.data.id === id),
      15_000,
    )
    assert.equal(event.data.fromMe, false)
    return { id, timestamp: Math.floor(Date.now() / 1000) }
  }

  before(async () => {
    A = await network.net.contact(ann, 'Ann')
    B = await network.net.contact(ben, 'Ben')
    C = await network.net.contact(cid, 'Cid')
    token = (await createUser(t, { name: 'mega-chat-group', instanceKey: KEY })).token
    await linkSession(t, network.net, token, me)
    await eventually(
      'connected',
      async () => (await rest('GET', '/instance/{k}')).json().instance.connected || undefined,
      30_000,
    )
  })

  it('refuses bad input with 400 in the dialect’s shape, and changes nothing', async () => {
    const annInbox = A.inbox.length
    const patches = mutations().length
    const annGroups = async () => Object.keys(await A.client.socket!.groupFetchAllParticipating()).length
    const groups = await annGroups()
    const cases: ['POST' | 'GET' | 'PUT' | 'DELETE', string, object?][] = [
      ['POST', '/chat/{k}/presenceUpdateChat', { to: pn(ann), option: 'dancing' }],
      ['POST', '/chat/{k}/presenceUpdateChat', { option: 'composing' }],
      ['POST', '/chat/{k}/presenceUpdateChat', { to: 'not a phone', option: 'available' }],
      ['POST', '/chat/{k}/archiveChat', { to: pn(ann), option: 'maybe' }],
      ['POST', '/chat/{k}/archiveChat', { option: true }],
      ['POST', '/chat/{k}/pinChat', { to: pn(ann) }],
      ['POST', '/chat/{k}/blockChat', { to: 'x', option: true }],
      ['POST', '/chat/{k}/blockChat', { to: '120363041490582303@g.us', option: true }],
      ['POST', '/sendMessage/{k}/readMessage', { messageData: { key: {} } }],
      ['POST', '/chat/{k}/readMessage', { messageData: { key: { id: 'ABC' } } }],
      [
        'POST',
        '/chat/{k}/readChat',
        { option: true, messageData: { key: { id: 'ABC' }, messageTimestamp: 1 } },
      ],
      ['POST', '/sendMessage/{k}/readChat', { to: pn(ann), messageData: { key: {}, messageTimestamp: 'x' } }],
      ['POST', '/chat/{k}/deleteMessage', { messageData: { to: pn(ann), key: {} } }],
      ['POST', '/chat/{k}/deleteMessage', { messageData: { to: 'nope', key: { id: 'ABC', fromMe: true } } }],
      ['POST', '/chat/{k}/deleteMessageFromMe', { messageData: { to: pn(ann), key: { id: 'UNKNOWN1' } } }],
      ['GET', `/group/{k}/group/?jid=${pn(ann)}`],
      ['GET', '/group/{k}/group'],
      ['GET', '/group/{k}/groupInviteCode'],
      ['GET', '/group/{k}/groupInviteCode?group_id=123'],
      ['POST', '/group/{k}/create', { group_data: { group_name: '', participants: [pn(ann)] } }],
      ['POST', '/group/{k}/create', { group_data: { group_name: 'x', participants: ['not a phone'] } }],
      ['POST', '/group/{k}/create', { group_name: 'unwrapped', participants: [pn(ann)] }],
      [
        'POST',
        '/group/{k}/addParticipants',
        { group_data: { jid: '120363041490582303@g.us', participants: [] } },
      ],
      ['POST', '/group/{k}/removeParticipants', { group_data: { jid: pn(ann), participants: [pn(ben)] } }],
      ['PUT', '/group/{k}/setWhoCanSendMessage?jid=120363041490582303@g.us&allowOnlyAdmins=maybe'],
      ['PUT', '/group/{k}/setWhoCanChangeSettings?allowOnlyAdmins=true'],
      ['DELETE', '/group/{k}/leaveGroup?jid=abc'],
    ]
    for (const [method, url, payload] of cases) {
      const res = await rest(method, url, payload)
      assert.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}: ${res.body}`)
      assert.equal(res.json().error, true)
      assert.equal(typeof res.json().message, 'string')
    }
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(A.inbox.length, annInbox)
    assert.equal(mutations().length, patches)
    assert.equal(await annGroups(), groups)
    assert.equal(account(me).blocked.size, 0)
  })

  it('readMessage and readChat (both paths): the contact gets read receipts', async () => {
    for (const [i, path] of ['/sendMessage/{k}/readMessage', '/chat/{k}/readMessage'].entries()) {
      const { id } = await inbound(A, `read me ${i}`)
      const read = A.client.waitForStatus(id, proto.WebMessageInfo.Status.READ)
      // The key exactly as the webhook gave it.
      const res = await post(path, { messageData: { key: { remoteJid: pn(ann), fromMe: false, id } } })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().error, false)
      assert.equal(res.json().id, id)
      assert.equal(res.json().jid, pn(ann))
      assert.match(res.json().lid, /@lid$/)
      await read
    }
    for (const [i, path] of ['/chat/{k}/readChat', '/sendMessage/{k}/readChat'].entries()) {
      const { id, timestamp } = await inbound(A, `the whole chat ${i}`)
      const read = A.client.waitForStatus(id, proto.WebMessageInfo.Status.READ)
      const res = await post(path, {
        to: pn(ann),
        option: true,
        messageData: { key: { remoteJid: pn(ann), fromMe: false, id }, messageTimestamp: timestamp },
      })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().message, 'Chat read')
      await read
    }
    // option false: nothing is confirmed.
    const { id } = await inbound(A, 'leave me unread')
    const res = await post('/chat/{k}/readChat', {
      to: pn(ann),
      option: false,
      messageData: { key: { remoteJid: pn(ann), fromMe: false, id }, messageTimestamp: 1 },
    })
    assert.equal(res.statusCode, 200, res.body)
    await new Promise((r) => setTimeout(r, 1000))
    assert.notEqual(A.sent.get(id)?.status, 'READ')
  })

  it('deleteMessage revokes a sent message for everyone; a received one in a private chat is refused', async () => {
    const sent = await t.app.inject({
      method: 'POST',
      url: '/chat/send/text',
      headers: { token },
      payload: { Phone: ann, Body: 'oops' },
    })
    const id = sent.json().data.Id as string
    await network.net.inbox(ann, (m) => m.id === id)
    const res = await post('/chat/{k}/deleteMessage', {
      messageData: { to: pn(ann), key: { remoteJid: pn(ann), fromMe: true, id } },
    })
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.equal(body.error, false)
    assert.equal(body.remoteJid, pn(ann))
    assert.equal(body.formMe, true)
    assert.equal(body.fromMe, true)
    assert.match(body.messageTimestamp, /^\d+$/)
    assert.deepEqual(body.key, { remoteJid: pn(ann), fromMe: true, id })
    const revoke = await network.net.inbox(
      ann,
      (m) =>
        m.type === 'protocolMessage' &&
        (m.message as { protocolMessage: { key?: { id: string } } }).protocolMessage.key?.id === id,
    )
    const type = (revoke.message as { protocolMessage: { type: number | string } }).protocolMessage.type
    assert.ok([0, 'REVOKE'].includes(type), String(type))
    assert.equal(revoke.id, body.id)

    const { id: theirs } = await inbound(A, 'not yours to delete')
    const before = A.inbox.length
    const refused = await post('/chat/{k}/deleteMessage', {
      messageData: { to: pn(ann), key: { remoteJid: pn(ann), fromMe: false, id: theirs } },
    })
    assert.equal(refused.statusCode, 400, refused.body)
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(A.inbox.length, before)
  })

  it('archiveChat, pinChat and deleteMessageFromMe are app-state patches once the phone shared its key', async () => {
    const early = await post('/chat/{k}/pinChat', { to: pn(ann), options: true })
    assert.equal(early.statusCode, 409, early.body)
    assert.equal(early.json().error, true)
    const shared = await fetch(`${network.net.running.info.controlUrl}/accounts/${me}/app-state-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    assert.equal(shared.status, 200)
    const pin = await eventually(
      'the key share to arrive',
      async () => {
        const r = await post('/chat/{k}/pinChat', { to: pn(ann), options: true })
        return r.statusCode === 200 ? r : undefined
      },
      10_000,
    )
    assert.equal(pin.json().message, 'Chat pinned')
    assert.equal(pin.json().jid, pn(ann))
    const archive = await post('/chat/{k}/archiveChat', { to: pn(ann), option: true })
    assert.equal(archive.statusCode, 200, archive.body)
    assert.equal(archive.json().message, 'Chat archived')
    // The table's spelling for archive, the body's for pin.
    assert.equal((await post('/chat/{k}/archiveChat', { to: ann, options: false })).statusCode, 200)
    const found = (name: string, test: (m: { index: string[]; action: Json }) => boolean) =>
      eventually(
        `a ${name} mutation`,
        async () => mutations().find((m) => m.index[0] === name && test(m)),
        10_000,
      )
    const isAnn = (jid: string | undefined) => jid === pn(ann) || jid === lidJid(account(ann).lid)
    const pinned = await found('pin_v1', (m) => isAnn(m.index[1]))
    assert.equal((pinned.action.pinAction as Json).pinned, true)
    await found(
      'archive',
      (m) => isAnn(m.index[1]) && (m.action.archiveChatAction as Json)?.archived === true,
    )
    await found(
      'archive',
      (m) => isAnn(m.index[1]) && (m.action.archiveChatAction as Json)?.archived === false,
    )

    const { id } = await inbound(A, 'delete me just here')
    const gone = await post('/chat/{k}/deleteMessageFromMe', {
      messageData: {
        to: pn(ann),
        key: { remoteJid: pn(ann), fromMe: false, id },
        messageTimestamp: '1700000000',
      },
    })
    assert.equal(gone.statusCode, 200, gone.body)
    assert.equal(gone.json().id, id)
    const del = await found('deleteMessageForMe', (m) => m.index[2] === id)
    assert.ok(isAnn(del.index[1]), del.index[1])
    assert.equal(del.index[3], '0', 'not from me')
    // Ann still has her message: nothing was sent to her.
    assert.ok(!A.inbox.some((m) => m.type === 'protocolMessage' && JSON.stringify(m.message).includes(id)))
  })

  it('presenceUpdateChat: typing and recording reach the contact, online and last seen reach who watches', async () => {
    const typing = (state: string) =>
      A.client.waitFor('presence.update', (u) =>
        Object.values(u.presences).some((p) => p.lastKnownPresence === state),
      )
    const composing = typing('composing')
    const res = await post('/chat/{k}/presenceUpdateChat', { to: pn(ann), option: 'composing' })
    assert.equal(res.statusCode, 200, res.body)

    assert.deepEqual(res.json(), { error: false, message: 'Presence updated' })
    await composing
    // The table's spelling (`options`) and a bare number.
    const recording = typing('recording')
    assert.equal(
      (await post('/chat/{k}/presenceUpdateChat', { to: ann, options: 'recording' })).statusCode,
      200,
    )
    await recording
    // Online needs the account's push name, which this phone never shared: Zapwire refuses
    // (SESSION_NOT_READY, Mega-api's 401) until it is set (an app-state patch).
    const early = await post('/chat/{k}/presenceUpdateChat', { to: pn(ann), option: 'available' })
    assert.equal(early.statusCode, 401, early.body)
    assert.match(early.json().detail, /push name/)
    const named = await t.app.inject({
      method: 'POST',
      url: '/user/pushname',
      headers: { token },
      payload: { push_name: 'Shop' },
    })
    assert.equal(named.statusCode, 200, named.body)
    await A.client.socket!.presenceSubscribe(pn(me))
    const online = A.client.waitFor('presence.update', (u) =>
      Object.values(u.presences).some((p) => p.lastKnownPresence === 'available'),
    )
    assert.equal(
      (await post('/chat/{k}/presenceUpdateChat', { to: pn(ann), option: 'available' })).statusCode,
      200,
    )
    await online
    assert.equal(account(me).presence.type, 'available')
    const away = A.client.waitFor('presence.update', (u) =>
      Object.values(u.presences).some((p) => p.lastKnownPresence === 'unavailable'),
    )
    assert.equal(
      (await post('/chat/{k}/presenceUpdateChat', { to: pn(ann), option: 'unavailable' })).statusCode,
      200,
    )
    await away
    assert.equal(account(me).presence.type, 'unavailable')
  })

  it('blockChat: the blocked contact’s next message does not arrive; unblocked, it does', async () => {
    const res = await post('/chat/{k}/blockChat', { to: pn(cid), option: true })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().message, 'Contact blocked')
    assert.equal(res.json().jid, pn(cid))
    assert.equal(typeof res.json().lid, 'string', 'Cid’s LID is not known yet: empty')
    assert.ok(account(me).blocked.has(account(cid)))
    await C.send({ to: pn(me), text: 'blocked words' })
    await new Promise((r) => setTimeout(r, 1500))
    assert.equal((await events('Message')).filter((e) => e.data.text === 'blocked words').length, 0)
    const unblock = await post('/chat/{k}/blockChat', { to: cid, options: false })
    assert.equal(unblock.statusCode, 200, unblock.body)
    assert.equal(unblock.json().message, 'Contact unblocked')
    assert.equal(account(me).blocked.size, 0)
    await inbound(C, 'free again')
  })

  it('create: both contacts get the group; the answer is in Mega-api’s shape with LIDs', async () => {
    const annSees = A.client.waitFor('groups.upsert', (gs) => gs.some((g) => g.subject === 'Mega Team'))
    const res = await post('/group/{k}/create', {
      group_data: { group_name: 'Mega Team', participants: [pn(ann), ben] },
    })
    assert.equal(res.statusCode, 200, res.body)
    const g = res.json()
    assert.equal(g.error, false)
    team = g.id
    assert.match(team, /^\d+@g\.us$/)
    assert.equal(g.subject, 'Mega Team')
    assert.equal(g.owner, pn(me))
    assert.match(g.ownerLid, /@lid$/)
    assert.equal(typeof g.creation, 'number')
    assert.equal(g.restrict, false)
    assert.equal(g.announce, false)
    assert.deepEqual(
      g.participants.map((p: Json) => [p.id, p.admin]).sort(),
      [
        [pn(ann), null],
        [pn(ben), null],
        [pn(me), 'superadmin'],
      ].sort(),
    )
    for (const p of g.participants) assert.match(p.lid, /@lid$/)
    await annSees
    assert.equal((await B.client.socket!.groupFetchAllParticipating())[team]?.subject, 'Mega Team')
    assert.deepEqual(memberPhones(team), [me, ann, ben].sort())
  })

  it('list, adminGroups, details (with and without the slash) and the invite code', async () => {
    const theirs = await A.client.socket!.groupCreate('Ann’s own', [pn(me)])
    await eventually('the session in Ann’s group', async () => {
      const list = (await rest('GET', '/group/list/{k}')).json()
      return list.groups?.some((g: Json) => g.id === theirs.id) || undefined
    })
    const list = await rest('GET', '/group/list/{k}')
    assert.equal(list.statusCode, 200, list.body)
    assert.equal(list.json().status, true)
    assert.equal(list.json().error, undefined)
    // A community is listed under `communitys` (sic), not under `groups`.
    const made = await t.app.inject({
      method: 'POST',
      url: '/community/create',
      headers: { token },
      payload: { name: 'Mega Hood', description: 'ours' },
    })
    assert.equal(made.statusCode, 200, made.body)
    const hood = made.json().community_jid as string
    const withHood = (await rest('GET', '/group/list/{k}')).json()
    assert.deepEqual(
      withHood.communitys.map((c: Json) => [c.id, c.subject, c.isCommunity]),
      [[hood, 'Mega Hood', true]],
    )
    assert.ok(!withHood.groups.some((g: Json) => g.id === hood))
    const mine = list.json().groups.find((g: Json) => g.id === team)
    assert.equal(mine.subject, 'Mega Team')
    assert.equal(mine.participants.length, 3)
    const admin = await rest('GET', '/group/{k}/adminGroups')
    assert.equal(admin.statusCode, 200, admin.body)
    const adminIds = admin.json().groups.map((g: Json) => g.id)
    assert.ok(adminIds.includes(team))
    assert.ok(!adminIds.includes(theirs.id), 'not an admin of Ann’s group')
    for (const url of [`/group/{k}/group/?jid=${team}`, `/group/{k}/group?jid=${team}`]) {
      const info = await rest('GET', url)
      assert.equal(info.statusCode, 200, `${url}: ${info.body}`)
      assert.equal(info.json().error, false)
      assert.equal(info.json().id, team)
      assert.equal(info.json().participants.find((p: Json) => p.id === pn(me)).admin, 'superadmin')
    }
    const code = await rest('GET', `/group/{k}/groupInviteCode?group_id=${team}`)
    assert.equal(code.statusCode, 200, code.body)
    assert.equal(code.json().inviteCode, group(team).inviteCode)
    assert.equal(code.json().inviteUrl, `https://chat.whatsapp.com/${group(team).inviteCode}`)
    // Only an admin may change Ann's group: 403 as documented.
    const refused = await post('/group/{k}/addParticipants', {
      group_data: { jid: theirs.id, participants: [pn(cid)] },
    })
    assert.equal(refused.statusCode, 403, refused.body)
    assert.equal(refused.json().error, true)
    assert.ok(!memberPhones(theirs.id).includes(cid))
  })

  it('add, promote, demote and remove participants: the members see each change', async () => {
    const cidAdded = C.client.waitFor('group-participants.update', (u) => u.id === team && u.action === 'add')
    const add = await post('/group/{k}/addParticipants', {
      group_data: { jid: team, participants: [pn(cid)] },
    })
    assert.equal(add.statusCode, 200, add.body)
    assert.equal(add.json().message, 'Participants added')
    assert.equal(add.json().updatedParticipants.length, 1)
    assert.equal(add.json().updatedParticipants[0].jid, pn(cid))
    assert.equal(add.json().updatedParticipants[0].status, '200')
    assert.equal(typeof add.json().updatedParticipants[0].lid, 'string')
    await cidAdded
    const promoted = A.client.waitFor(
      'group-participants.update',
      (u) => u.id === team && u.action === 'promote',
    )
    assert.equal(
      (await post('/group/{k}/promoteParticipants', { group_data: { jid: team, participants: [ann] } }))
        .statusCode,
      200,
    )
    await promoted
    assert.equal(group(team).members.get(account(ann)), 'admin')
    const details = (await rest('GET', `/group/{k}/group/?jid=${team}`)).json()
    assert.equal(details.participants.find((p: Json) => p.id === pn(ann)).admin, 'admin')
    const demoted = A.client.waitFor(
      'group-participants.update',
      (u) => u.id === team && u.action === 'demote',
    )
    assert.equal(
      (await post('/group/{k}/demoteParticipants', { group_data: { jid: team, participants: [pn(ann)] } }))
        .statusCode,
      200,
    )
    await demoted
    assert.equal(group(team).members.get(account(ann)), null)
    const cidRemoved = C.client.waitFor(
      'group-participants.update',
      (u) => u.id === team && u.action === 'remove',
    )
    const remove = await post('/group/{k}/removeParticipants', {
      group_data: { jid: team, participants: [pn(cid)] },
    })
    assert.equal(remove.statusCode, 200, remove.body)
    await cidRemoved
    assert.deepEqual(memberPhones(team), [me, ann, ben].sort())
  })

  it('setWhoCanSendMessage and setWhoCanChangeSettings: the members see announce and locked', async () => {
    const announce = A.client.waitFor('groups.update', (us) =>
      us.some((u) => u.id === team && u.announce === true),
    )
    const a = await rest('PUT', `/group/{k}/setWhoCanSendMessage?jid=${team}&allowOnlyAdmins=true`)
    assert.equal(a.statusCode, 200, a.body)
    assert.equal(a.json().error, false)
    await announce
    const locked = A.client.waitFor('groups.update', (us) =>
      us.some((u) => u.id === team && u.restrict === true),
    )
    assert.equal(
      (await rest('PUT', `/group/{k}/setWhoCanChangeSettings?jid=${team}&allowOnlyAdmins=true`)).statusCode,
      200,
    )
    await locked
    let seen = await B.client.socket!.groupMetadata(team)
    assert.deepEqual([seen.announce, seen.restrict], [true, true])
    assert.equal(
      (await rest('PUT', `/group/{k}/setWhoCanSendMessage?jid=${team}&allowOnlyAdmins=false`)).statusCode,
      200,
    )
    assert.equal(
      (await rest('PUT', `/group/{k}/setWhoCanChangeSettings?jid=${team}&allowOnlyAdmins=false`)).statusCode,
      200,
    )
    seen = await B.client.socket!.groupMetadata(team)
    assert.deepEqual([seen.announce, seen.restrict], [false, false])
  })

  it('leaveGroup: the members see the session leave', async () => {
    const annSees = A.client.waitFor(
      'group-participants.update',
      (u) => u.id === team && u.action === 'remove',
    )
    const res = await rest('DELETE', `/group/{k}/leaveGroup?jid=${team}`)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().error, false)
    await annSees
    assert.ok(!memberPhones(team).includes(me))
  })
})

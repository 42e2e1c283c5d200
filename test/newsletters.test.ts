import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp, userRequests } from './helpers/app.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

/** A 1×1 PNG. */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=='

describe('newsletters (channels) against the test network', () => {
  const network = useNetwork()
  const t = useApp('sqlite', () => ({ ZAPWIRE_TESTNET: network.net.running.info.controlUrl }))
  const me = '5521996100001'
  const fan = '5521996100002'
  let token = ''
  let channel = ''
  const user = userRequests(t, () => token)
  const { post, get } = user
  const events = (type: string) =>
    user.events<{
      data: Record<string, unknown> & { Messages?: Record<string, unknown>[] }
    }>(type)
  const fanSocket = () => network.net.running.contacts.get(fan)!.client.socket!
  const state = (jid: string) => network.net.network.newsletters.get(jid)!
  const account = (phone: string) => network.net.network.accounts.get(phone)!

  before(async () => {
    await network.net.contact(fan, 'Fan')
    token = (await createUser(t, { name: 'channels' })).token
    await linkSession(t, network.net, token, me, 'Shop')
  })

  it('creates a channel with a picture; info, list and subscribed describe it', async () => {
    const res = await post('/newsletter/create', {
      name: 'Shop news and offers of the week',
      description: 'Daily deals',
      picture: PNG,
    })
    assert.equal(res.statusCode, 200, res.body)
    const created = res.json()
    assert.equal(created.success, true)
    assert.match(created.jid, /^120363\d+@newsletter$/)
    assert.equal(created.name, 'Shop news and offers of t')
    channel = created.jid
    const held = state(channel)
    assert.equal(held.owner, account(me))
    assert.ok(held.picture, 'the network stored the picture')
    const info = await post('/newsletter/info', { jid: channel })
    assert.equal(info.statusCode, 200, info.body)
    const described = info.json() as { creation_time: number }
    assert.ok(Math.abs(described.creation_time - Date.now() / 1000) < 60)
    assert.deepEqual(
      { ...described, creation_time: 0 },
      {
        jid: channel,
        name: 'Shop news and offers of t',
        description: 'Daily deals',
        subscribers: 0,
        muted: false,
        invite_code: held.invite,
        role: 'owner',
        creation_time: 0,
        verification: 'unverified',
        state: 'active',
      },
    )
    const list = (await get('/newsletter/list')).json().Newsletter
    const raw = list.find((n: { id: string }) => n.id === channel)
    assert.equal(raw.thread_metadata.name.text, 'Shop news and offers of t')
    assert.equal(raw.thread_metadata.invite, held.invite)
    assert.equal(raw.thread_metadata.picture.id, held.picture.id)
    assert.deepEqual(raw.viewer_metadata, { mute: 'off', role: 'owner' })
    const subscribed = (await get('/newsletter/subscribed')).json()
    assert.equal(subscribed.success, true)
    assert.deepEqual(
      subscribed.newsletters.map((n: { jid: string; role: string }) => [n.jid, n.role]),
      [[channel, 'owner']],
    )
  })

  it('another account follows, receives text and image posts, and they are fetched with pagination', async () => {
    await fanSocket().newsletterFollow(channel)
    assert.ok(state(channel).followers.has(account(fan)))
    assert.equal((await post('/newsletter/info', { jid: channel })).json().subscribers, 1)
    const text = await post('/newsletter/send', { jid: channel, message: 'first post' })
    assert.equal(text.statusCode, 200, text.body)
    assert.equal(text.json().success, true)
    const got = await network.net.inbox(fan, (m) => m.id === text.json().id)
    assert.equal(got.chat, channel)
    assert.equal(got.text, 'first post')
    const image = await post('/newsletter/send', { jid: channel, image: PNG, caption: 'a picture' })
    assert.equal(image.statusCode, 200, image.body)
    const pic = await network.net.inbox(fan, (m) => m.id === image.json().id)
    assert.equal(pic.type, 'imageMessage')
    assert.equal(pic.text, 'a picture')
    const page = await post('/newsletter/messages', { jid: channel, count: 10 })
    assert.equal(page.statusCode, 200, page.body)
    const messages = page.json().messages
    assert.deepEqual(
      messages.map((m: { id: string; server_id: number; type: string }) => [m.id, m.server_id, m.type]),
      [
        [text.json().id, 100, 'text'],
        [image.json().id, 101, 'image'],
      ],
    )
    assert.equal(messages[0].text, 'first post')
    assert.equal(messages[1].caption, 'a picture')
    assert.equal(messages[1].media.mimetype, 'image/png')
    const older = (await post('/newsletter/messages', { jid: channel, before: 101 })).json().messages
    assert.deepEqual(
      older.map((m: { server_id: number }) => m.server_id),
      [100],
    )
    // Unfollowed, the fan gets no more posts.
    await fanSocket().newsletterUnfollow(channel)
    assert.equal((await post('/newsletter/info', { jid: channel })).json().subscribers, 0)
    const third = await post('/newsletter/send', { jid: channel, message: 'members only' })
    assert.equal(third.statusCode, 200, third.body)
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(
      network.net.running.contacts.get(fan)!.inbox.filter((m) => m.id === third.json().id).length,
      0,
    )
  })

  it('reactions and views are counted, fetched as updates, and pushed live (NewsletterLiveUpdate)', async () => {
    const live = await post('/newsletter/subscribe-live-updates', { jid: channel })
    assert.equal(live.statusCode, 200, live.body)
    assert.deepEqual(live.json(), { success: true, duration: 300, message: 'Subscribed to live updates' })
    await fanSocket().newsletterFollow(channel)
    await fanSocket().newsletterReactMessage(channel, '100', '👍')
    const pushed = await eventually('the live reaction', async () =>
      (await events('NewsletterLiveUpdate')).find((e) => e.data.Messages?.[0]?.ReactionCounts),
    )
    assert.equal(pushed.data.JID, channel)
    assert.deepEqual(pushed.data.Messages?.[0], { MessageServerID: 100, ReactionCounts: { '👍': 1 } })
    const react = await post('/newsletter/reaction', { jid: channel, server_id: 100, reaction: '❤️' })
    assert.equal(react.statusCode, 200, react.body)
    assert.equal(react.json().message, 'Reaction sent successfully')
    const viewed = await post('/newsletter/mark-viewed', { jid: channel, server_ids: [100, 101] })
    assert.equal(viewed.statusCode, 200, viewed.body)
    const views = await eventually('the live view', async () =>
      (await events('NewsletterLiveUpdate')).find((e) => e.data.Messages?.[0]?.ViewsCount === 1),
    )
    assert.ok([100, 101].includes(Number(views.data.Messages?.[0]?.MessageServerID)))
    const first = (await post('/newsletter/messages', { jid: channel })).json().messages[0]
    assert.deepEqual(first.reaction_counts, { '👍': 1, '❤️': 1 })
    assert.equal(first.views_count, 1)
    const updates = await post('/newsletter/message-updates', { jid: channel, after: 99, count: 5 })
    assert.equal(updates.statusCode, 200, updates.body)
    assert.deepEqual(
      updates.json().updates.map((u: { server_id: number }) => u.server_id),
      [100, 101, 102],
    )
    // "" takes the reaction back.
    assert.equal(
      (await post('/newsletter/reaction', { jid: channel, server_id: 100, reaction: '' })).statusCode,
      200,
    )
    assert.deepEqual(
      (await post('/newsletter/messages', { jid: channel })).json().messages[0].reaction_counts,
      {
        '👍': 1,
      },
    )
  })

  it('follows another account’s channel by invite and by JID, mutes it, and cannot post to it', async () => {
    const theirs = await fanSocket().newsletterCreate('Fan club', 'for fans')
    const invite = state(theirs.id).invite
    const followed = await post('/newsletter/follow-invite', {
      invite_code: `https://whatsapp.com/channel/${invite}`,
    })
    assert.equal(followed.statusCode, 200, followed.body)
    assert.deepEqual(followed.json(), { success: true, message: 'Subscribed successfully', jid: theirs.id })
    assert.ok(state(theirs.id).followers.has(account(me)))
    const mine = (await get('/newsletter/subscribed')).json().newsletters
    assert.equal(mine.find((n: { jid: string }) => n.jid === theirs.id).role, 'subscriber')
    assert.equal((await post('/newsletter/mute', { jid: theirs.id, mute: true })).statusCode, 200)
    assert.equal(state(theirs.id).followers.get(account(me))?.muted, true)
    assert.equal((await post('/newsletter/info', { jid: theirs.id })).json().muted, true)
    const unmuted = await post('/newsletter/mute', { jid: theirs.id, mute: false })
    assert.equal(unmuted.json().message, 'Notifications unmuted successfully')
    assert.equal(state(theirs.id).followers.get(account(me))?.muted, false)
    // A subscriber's post is refused by WhatsApp.
    const refused = await post('/newsletter/send', { jid: theirs.id, message: 'not mine' })
    assert.equal(refused.statusCode, 422, refused.body)
    assert.equal(refused.json().whatsapp_code, 403)
    const left = await post('/newsletter/unfollow-invite', { invite_code: invite })
    assert.equal(left.statusCode, 200, left.body)
    assert.equal(state(theirs.id).followers.has(account(me)), false)
    assert.equal((await post('/newsletter/follow', { jid: theirs.id })).statusCode, 200)
    assert.ok(state(theirs.id).followers.has(account(me)))
    // Their posts reach the gateway as Message events.
    const posted = await fanSocket().sendMessage(theirs.id, { text: 'hello followers' })
    const message = await eventually('the channel post as a Message event', async () =>
      (await events('Message')).find((e) => e.data.text === 'hello followers'),
    )
    assert.equal((message.data as { Info: { Chat: string } }).Info.Chat, theirs.id)
    assert.ok(posted?.key.id)
    assert.equal((await post('/newsletter/unfollow', { jid: theirs.id })).statusCode, 200)
    assert.equal(state(theirs.id).followers.has(account(me)), false)
    // The account's phone follows, mutes and leaves: the gateway's device is told.
    network.net.network.newsletters.follow(account(me), theirs.id, true)
    network.net.network.newsletters.mute(account(me), theirs.id, true)
    network.net.network.newsletters.follow(account(me), theirs.id, false)
    const join = await eventually('NewsletterJoin', async () => (await events('NewsletterJoin'))[0])
    assert.equal(join.data.id, theirs.id)
    assert.deepEqual(join.data.viewer_metadata, { mute: 'off', role: 'subscriber' })
    const muted = await eventually(
      'NewsletterMuteChange',
      async () => (await events('NewsletterMuteChange'))[0],
    )
    assert.deepEqual(muted.data, { ID: theirs.id, Mute: 'on' })
    const leave = await eventually('NewsletterLeave', async () => (await events('NewsletterLeave'))[0])
    assert.deepEqual(leave.data, { ID: theirs.id, Role: 'guest' })
  })

  it('sends an admin invite the invited user receives; accepts the ToS notice', async () => {
    const res = await post('/newsletter/admin-invite', {
      phone: fan,
      newsletter_jid: channel,
      image: PNG,
      caption: 'Help me run the channel',
      name: 'Shop news',
    })
    assert.equal(res.statusCode, 200, res.body)
    const sent = res.json()
    assert.equal(sent.recipient, fan)
    assert.equal(sent.newsletter_jid, channel)
    assert.equal(sent.invite_name, 'Shop news')
    assert.equal(sent.expires_at - sent.timestamp, 7 * 86_400)
    const got = await network.net.inbox(fan, (m) => m.id === sent.id)
    assert.equal(got.type, 'newsletterAdminInviteMessage')
    const invite = (got.message as { newsletterAdminInviteMessage: Record<string, unknown> })
      .newsletterAdminInviteMessage
    assert.equal(invite.newsletterJid, channel)
    assert.equal(invite.caption, 'Help me run the channel')
    assert.ok(invite.jpegThumbnail)
    const tos = await post('/newsletter/accept-tos', {})
    assert.equal(tos.statusCode, 200, tos.body)
    assert.deepEqual(tos.json(), { success: true, message: 'Terms of service accepted' })
  })

  it('refuses bad input with 400, and an unknown channel with 422', async () => {
    const cases: [string, object, RegExp][] = [
      ['/newsletter/create', { name: '   ' }, /name is required/],
      ['/newsletter/info', { jid: '5521996100002@s.whatsapp.net' }, /invalid newsletter ID/],
      ['/newsletter/follow', { jid: 'news' }, /invalid newsletter ID/],
      ['/newsletter/mute', { jid: '123@g.us', mute: true }, /invalid JID/],
      ['/newsletter/send', { jid: channel }, /no message content provided/],
      ['/newsletter/reaction', { jid: channel, server_id: 0, reaction: '👍' }, /server_id/],
      ['/newsletter/mark-viewed', { jid: channel, server_ids: [] }, /server_ids/],
      ['/newsletter/follow-invite', { invite_code: 'no spaces allowed' }, /invalid invite code/],
      [
        '/newsletter/admin-invite',
        { phone: fan, newsletter_jid: channel },
        /phone, newsletter_jid, image, caption and name are required/,
      ],
    ]
    for (const [url, body, error] of cases) {
      const res = await post(url, body)
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`)
      assert.match(res.json().error, error, url)
    }
    const unknown = await post('/newsletter/info', { jid: '120363000000000001@newsletter' })
    assert.equal(unknown.statusCode, 422, unknown.body)
    assert.equal(unknown.json().whatsapp_code, 404)
    const nothing = await post('/newsletter/messages', { jid: '120363000000000001@newsletter' })
    assert.equal(nothing.statusCode, 422, nothing.body)
    assert.equal(nothing.json().whatsapp_code, 404)
  })
})

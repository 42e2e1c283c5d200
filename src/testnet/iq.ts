import {
  type BinaryNode,
  decodeSyncdMutations,
  getBinaryNodeChild,
  getBinaryNodeChildren,
  newLTHashState,
  proto,
} from 'baileys'
import { type Account, lidJid, maySee, PRIVACY_VALUES, parseUserJid, pnJid } from './accounts.js'
import type { ChatConnection } from './connection.js'
import { answerExtras, PASS } from './extras.js'
import { applyKeyUpload, keyBundle } from './keys.js'
import { now, type TestNetwork } from './network.js'
import { phoneKeys } from './phone.js'

const children = (node: BinaryNode | undefined): BinaryNode[] =>
  Array.isArray(node?.content) ? node.content : []

/**
 * Answers an IQ from a device. Every IQ gets an answer: Baileys waits 60 s for one and drops the
 * socket when nothing arrives, so anything not simulated is answered with an empty result.
 */
export function answerIq(net: TestNetwork, conn: ChatConnection, iq: BinaryNode): void {
  if (iq.attrs.type === 'result' || iq.attrs.type === 'error') return
  const content = resultOf(net, conn, iq)
  conn.send({ tag: 'iq', attrs: { from: 's.whatsapp.net', type: 'result', id: iq.attrs.id ?? '' }, content })
}

/** The children of the result for `iq` (undefined: an empty result). */
function resultOf(net: TestNetwork, conn: ChatConnection, iq: BinaryNode): BinaryNode[] | undefined {
  const [first] = children(iq)
  if (iq.attrs.xmlns === 'w:g2') return net.groups.answer(conn, iq)
  if (iq.attrs.xmlns === 'newsletter' || iq.attrs.xmlns === 'w:mex') return net.newsletters.answer(conn, iq)
  const extra = answerExtras(net, conn, iq)
  if (extra !== PASS) return extra
  const keys = conn.device?.keys
  switch (`${iq.attrs.xmlns}:${iq.attrs.type}:${first?.tag}`) {
    case 'encrypt:get:count':
      return [{ tag: 'count', attrs: { value: String(keys?.preKeys.size ?? 0) } }]
    case 'encrypt:set:registration':
    case 'encrypt:set:rotate':
      if (keys) applyKeyUpload(keys, iq)
      return undefined
    case 'encrypt:get:digest':
      return [{ tag: 'digest', attrs: {} }]
    case 'encrypt:get:key':
      return [
        {
          tag: 'list',
          attrs: {},
          content: getBinaryNodeChildren(first, 'user').map((u) => bundleFor(net, u, conn.account)),
        },
      ]
    case 'privacy:get:privacy':
      return [
        {
          tag: 'privacy',
          attrs: {},
          content: Object.entries(conn.account?.privacy ?? {}).map(([name, value]) => ({
            tag: 'category',
            attrs: { name, value },
          })),
        },
      ]
    case 'w:m:set:media_conn':
      return [
        {
          tag: 'media_conn',
          attrs: { auth: 'testnet', ttl: '3600', auth_ttl: '21600', max_buckets: '12' },
          content: [
            { tag: 'host', attrs: { hostname: net.media?.host ?? '', maxContentLengthBytes: '104857600' } },
          ],
        },
      ]
    case 'privacy:set:privacy': {
      const categories = getBinaryNodeChildren(first, 'category')
      // WhatsApp refuses an unknown category or a value the category does not take.
      if (categories.some(({ attrs }) => !PRIVACY_VALUES[attrs.name ?? '']?.includes(attrs.value ?? '')))
        return [{ tag: 'error', attrs: { code: '400', text: 'bad-request' } }]
      for (const { attrs } of categories) {
        if (conn.account && attrs.name && attrs.value) conn.account.privacy[attrs.name] = attrs.value
      }
      return undefined
    }
    case 'disappearing_mode:set:disappearing_mode': {
      const duration = Number(first?.attrs.duration)
      if (!conn.account || !Number.isInteger(duration) || duration < 0)
        return [{ tag: 'error', attrs: { code: '400', text: 'bad-request' } }]
      conn.account.disappearing = { duration, t: Math.floor(Date.now() / 1000) }
      // Every device of the account learns the new default (Baileys stores it in its creds).
      notifyAccount(net, conn.account, 'account_sync', [
        {
          tag: 'disappearing_mode',
          attrs: { duration: String(duration), t: String(conn.account.disappearing.t) },
        },
      ])
      return undefined
    }
    case 'blocklist:get:undefined':
      return [
        {
          tag: 'list',
          attrs: {},
          content: [...(conn.account?.blocked ?? [])].map((a) => ({
            tag: 'item',
            attrs: { jid: lidJid(a.lid) },
          })),
        },
      ]
    case 'blocklist:set:item': {
      const action = first?.attrs.action
      const target = net.accounts.resolve(first?.attrs.jid ?? '')?.account
      if (!target || !conn.account || (action !== 'block' && action !== 'unblock'))
        return [{ tag: 'error', attrs: { code: '400', text: 'bad-request' } }]
      if (action === 'block') conn.account.blocked.add(target)
      else conn.account.blocked.delete(target)
      // Every device of the account learns of the change (Baileys: `blocklist.update`).
      notifyAccount(net, conn.account, 'account_sync', [
        {
          tag: 'blocklist',
          attrs: {},
          content: [{ tag: 'item', attrs: { jid: lidJid(target.lid), action } }],
        },
      ])
      return undefined
    }
    case 'status:set:status': {
      const text = textOf(first)
      if (!conn.account || [...text].length > 139)
        return [{ tag: 'error', attrs: { code: '400', text: 'bad-request' } }]
      conn.account.about = { text, t: Math.floor(Date.now() / 1000) }
      return undefined
    }
    case 'w:profile:picture:get:picture': {
      const target = iq.attrs.target ?? (conn.account ? pnJid(conn.account.phone) : '')
      const owner = target.endsWith('@g.us') ? undefined : net.accounts.resolve(target)?.account
      // A picture the owner hides (privacy `profile`, or a block) is refused as WhatsApp does.
      if (owner && !maySee(owner, conn.account, 'profile'))
        return [{ tag: 'error', attrs: { code: '401', text: 'not-authorized' } }]
      const picture = target.endsWith('@g.us') ? net.groups.get(target)?.picture : owner?.picture
      if (!picture) return [{ tag: 'error', attrs: { code: '404', text: 'item-not-found' } }]
      return [
        {
          tag: 'picture',
          attrs: {
            id: picture.id,
            url: picture.url,
            type: first?.attrs.type ?? 'image',
            direct_path: new URL(picture.url).pathname,
          },
        },
      ]
    }
    case 'w:profile:picture:set:picture':
    case 'w:profile:picture:set:undefined': {
      if (iq.attrs.target?.endsWith('@g.us')) return net.groups.setPicture(conn, iq.attrs.target, first)
      const id = setPicture(net, conn, iq.attrs.target, first)
      return id ? [{ tag: 'picture', attrs: { id } }] : undefined
    }
    case 'md:set:remove-companion-device':
      // The companion unlinks itself (logout).
      if (conn.account && conn.device) conn.account.devices.delete(conn.device.id)
      return undefined
    case 'usync:get:usync':
      return [usync(net, first!, conn.account)]
    case 'w:sync:app:state:set:sync':
      // Patches a companion writes are counted per collection (their content stays encrypted);
      // every collection is answered as up to date at the version the client asked for.
      return [
        {
          tag: 'sync',
          attrs: {},
          content: getBinaryNodeChildren(first, 'collection').map((c) => {
            const name = c.attrs.name ?? ''
            const patches = getBinaryNodeChildren(c, 'patch')
            if (patches.length && conn.account) {
              conn.account.appStatePatches.set(
                name,
                (conn.account.appStatePatches.get(name) ?? 0) + patches.length,
              )
              for (const patch of patches) readPatch(net, conn.account, name, patch)
            }
            return { tag: 'collection', attrs: { name, version: c.attrs.version ?? '0' } }
          }),
        },
      ]
    default:
      net.log.trace(
        { xmlns: iq.attrs.xmlns, type: iq.attrs.type, child: first?.tag },
        'iq answered with an empty result',
      )
      return undefined
  }
}

function bundleFor(net: TestNetwork, user: BinaryNode, asker: Account | undefined): BinaryNode {
  const jid = user.attrs.jid ?? ''
  const found = net.accounts.resolve(jid)
  // Device 0 is the phone: its own companions open a session with it for peer messages. Others
  // get no bundle for it (it is in no device list, so they never encrypt for it), nor does a
  // forced refresh (`reason="identity"`): Baileys forces one for every LID at each device
  // lookup, which would re-key the phone's session for each message sent on this network.
  const keys =
    found?.device === 0 &&
    !found.account.devices.has(0) &&
    found.account === asker &&
    user.attrs.reason !== 'identity'
      ? phoneKeys(found.account)
      : found?.account.devices.get(found.device)?.keys
  return keyBundle(jid, keys)
}

/**
 * `usync` queries: devices, LID, contact (is it on WhatsApp), status (about text), default
 * disappearing mode; other protocols answer nothing.
 */
function usync(net: TestNetwork, query: BinaryNode, asker: Account | undefined): BinaryNode {
  const protocols = children(getBinaryNodeChild(query, 'query')).map((p) => p.tag)
  const users = getBinaryNodeChildren(getBinaryNodeChild(query, 'list'), 'user').map((user) => {
    const contact = getBinaryNodeChild(user, 'contact')?.content
    const asked = user.attrs.jid ?? `${String(contact ?? '').replace(/\D/g, '')}@s.whatsapp.net`
    const found = net.accounts.resolve(asked)
    const jid = found || !user.attrs.jid ? asked : user.attrs.jid
    const content: BinaryNode[] = []
    for (const protocol of protocols) {
      if (protocol === 'devices') {
        const devices = [...(found?.account.devices.values() ?? [])].map((d) => ({
          tag: 'device',
          attrs: { id: String(d.id), 'key-index': String(d.keyIndex) },
        }))
        content.push({
          tag: 'devices',
          attrs: {},
          content: [{ tag: 'device-list', attrs: {}, content: devices }],
        })
      } else if (protocol === 'lid' && found && parseUserJid(asked)?.server === 'pn') {
        content.push({ tag: 'lid', attrs: { val: lidJid(found.account.lid) } })
      } else if (protocol === 'status' && found) {
        const { about } = found.account
        // A blocked (or blocking) account sees no about text.
        if (maySee(found.account, asker, 'about'))
          content.push({ tag: 'status', attrs: { t: String(about.t) }, content: Buffer.from(about.text) })
        else content.push({ tag: 'status', attrs: { code: '401', type: 'fail' } })
      } else if (protocol === 'disappearing_mode' && found) {
        const { duration, t } = found.account.disappearing
        content.push({ tag: 'disappearing_mode', attrs: { duration: String(duration), t: String(t) } })
      } else if (protocol === 'contact') {
        content.push({ tag: 'contact', attrs: { type: found ? 'in' : 'out' } })
      }
    }
    return { tag: 'user', attrs: { jid }, content }
  })
  return {
    tag: 'usync',
    attrs: { sid: query.attrs.sid ?? '', index: '0', last: 'true', mode: query.attrs.mode ?? 'query' },
    content: [{ tag: 'list', attrs: {}, content: users }],
  }
}

const textOf = (node: BinaryNode | undefined) =>
  node?.content instanceof Uint8Array ? Buffer.from(node.content).toString() : String(node?.content ?? '')

/**
 * Sets or (without a picture node) removes the profile picture of the caller or of a group;
 * answers the new picture's id. Everyone else on the network is told a user's picture changed
 * (`<notification type=picture>`, Baileys' `contacts.update` with `imgUrl`).
 */
function setPicture(
  net: TestNetwork,
  conn: ChatConnection,
  target: string | undefined,
  picture?: BinaryNode,
): string | undefined {
  const bytes = picture?.content instanceof Uint8Array ? Buffer.from(picture.content) : undefined
  const stored = bytes && net.media ? net.media.put(bytes) : undefined
  const value = stored ? { id: stored.id, url: stored.url } : undefined
  if (target?.endsWith('@g.us')) {
    const group = net.groups.get(target)
    if (group) group.picture = value
  } else if (conn.account) {
    const owner = conn.account
    owner.picture = value
    const from = pnJid(owner.phone)
    const change: BinaryNode = value
      ? { tag: 'set', attrs: { jid: from, id: value.id } }
      : { tag: 'delete', attrs: { jid: from } }
    for (const other of net.accounts.all()) {
      if (other === owner) continue
      for (const device of other.devices.values())
        net.deliver(device, {
          tag: 'notification',
          attrs: { from, type: 'picture', id: net.nextId(), t: now() },
          content: [change],
        })
    }
  }
  return value?.id
}

/** A notification to every device of an account (`account_sync`…). */
function notifyAccount(net: TestNetwork, account: Account, type: string, content: BinaryNode[]) {
  for (const device of account.devices.values())
    net.deliver(device, {
      tag: 'notification',
      attrs: { from: pnJid(account.phone), type, id: net.nextId(), t: now() },
      content,
    })
}

/**
 * Reads an app-state patch a companion wrote, with the keys the phone shared: the network keeps
 * the address book (`contact` mutations) and the push name (`setting_pushName`) the way the phone
 * would apply them. Mutations under a key the phone never shared stay unread.
 */
function readPatch(net: TestNetwork, account: Account, collection: string, node: BinaryNode) {
  if (!(node.content instanceof Uint8Array)) return
  const patch = proto.SyncdPatch.decode(node.content)
  const getKey = async (id: string) => {
    const keyData = account.appStateKeys.get(id)
    return keyData ? ({ keyData } as proto.Message.IAppStateSyncKeyData) : undefined
  }
  void (async () => {
    for (const mutation of patch.mutations ?? []) {
      const operation = mutation.operation === proto.SyncdMutation.SyncdOperation.REMOVE ? 'remove' : 'set'
      await decodeSyncdMutations(
        [mutation],
        newLTHashState(),
        getKey as never,
        ({ syncAction, index }) => {
          const action = (syncAction.value ?? {}) as Record<string, unknown>
          account.appStateMutations.push({ collection, operation, index, action })
          const value = syncAction.value
          if (index[0] === 'contact' && index[1]) {
            if (operation === 'remove') account.addressBook.delete(index[1])
            else account.addressBook.set(index[1], value?.contactAction?.fullName ?? '')
          } else if (index[0] === 'setting_pushName' && value?.pushNameSetting?.name) {
            account.name = value.pushNameSetting.name
          }
        },
        false,
      )
    }
  })().catch((err) => net.log.warn({ err, collection }, 'an app-state patch could not be read'))
}

import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import {
  type AuthenticationCreds,
  addTransactionCapability,
  type BinaryNode,
  encodeWAMessage,
  generateSignalPubKey,
  proto,
  signedKeyPair,
  unpadRandomMax16,
} from 'baileys'
import { makeLibSignalRepository } from 'baileys/lib/Signal/libsignal.js'
import { pino } from 'pino'
import { type Account, type DeviceKeys, pnJid } from './accounts.js'
import { answerHistoryRequest } from './extras.js'
import { memoryAuthState } from './memory-auth.js'
import { now, type TestNetwork } from './network.js'

type Repository = ReturnType<typeof makeLibSignalRepository>

/** Device 0 (the phone) as a Signal party: its session store, and the keys it publishes. */
interface Phone {
  repository: Repository
  keys: DeviceKeys
}

const phones = new WeakMap<Account, Phone>()

function phoneOf(account: Account): Phone {
  let phone = phones.get(account)
  if (!phone) {
    const auth = memoryAuthState()
    const signedPreKey = signedKeyPair(account.identity, 1)
    const creds: Partial<AuthenticationCreds> = {
      signedIdentityKey: account.identity,
      signedPreKey,
      registrationId: 1 + Math.floor(Math.random() * 16_000),
    }
    Object.assign(auth.creds, creds)
    const logger = pino({ level: 'silent' })
    const keys = addTransactionCapability(auth.keys, logger, { maxCommitRetries: 1, delayBetweenTriesMs: 0 })
    phone = {
      repository: makeLibSignalRepository({ creds: auth.creds, keys } as never, logger),
      keys: {
        registrationId: creds.registrationId!,
        identity: Buffer.from(account.identity.public),
        signedPreKey: {
          id: signedPreKey.keyId,
          value: Buffer.from(signedPreKey.keyPair.public),
          signature: Buffer.from(signedPreKey.signature),
        },
        preKeys: new Map(),
      },
    }
    phones.set(account, phone)
  }
  return phone
}

/** The keys the phone (device 0) publishes, for companions that open a session with it. */
export function phoneKeys(account: Account): DeviceKeys {
  return phoneOf(account).keys
}

/**
 * Sends `message` from the phone to one of its companions, as a peer message encrypted with the
 * phone's own Signal session (established from the companion's published keys on first use).
 */
async function sendAsPhone(
  net: TestNetwork,
  account: Account,
  deviceId: number,
  message: proto.IMessage,
): Promise<void> {
  const device = account.devices.get(deviceId)
  const keys = device?.keys
  if (!device || !keys?.signedPreKey) throw new Error(`device ${deviceId} of ${account.phone} has no keys`)
  const jid = pnJid(account.phone, deviceId)
  const { repository } = phoneOf(account)
  if (!(await repository.validateSession(jid)).exists) {
    const preKey = keys.preKeys.entries().next().value as [number, Buffer] | undefined
    if (preKey) keys.preKeys.delete(preKey[0])
    await repository.injectE2ESession({
      jid,
      session: {
        registrationId: keys.registrationId,
        identityKey: generateSignalPubKey(keys.identity),
        signedPreKey: {
          keyId: keys.signedPreKey.id,
          publicKey: generateSignalPubKey(keys.signedPreKey.value),
          signature: keys.signedPreKey.signature,
        },
        ...(preKey ? { preKey: { keyId: preKey[0], publicKey: generateSignalPubKey(preKey[1]) } } : {}),
      } as never,
    })
  }
  const { type, ciphertext } = await repository.encryptMessage({ jid, data: encodeWAMessage(message) })
  const node: BinaryNode = {
    tag: 'message',
    attrs: {
      from: pnJid(account.phone),
      id: randomBytes(8).toString('hex').toUpperCase(),
      t: now(),
      type: 'text',
      category: 'peer',
    },
    content: [{ tag: 'enc', attrs: { v: '2', type }, content: ciphertext }],
  }
  net.deliver(device, node)
}

/**
 * The phone shares an app-state sync key with one of its companions (a peer message, as the real
 * phone does after linking), so the companion can read and write app-state patches (archive,
 * pin, mute, star, labels…). Returns the key id (base64).
 */
export async function shareAppStateKey(
  net: TestNetwork,
  account: Account,
  deviceId: number,
): Promise<string> {
  const keyId = randomBytes(6)
  account.appStateKeys.set(keyId.toString('base64'), randomBytes(32))
  await sendAsPhone(net, account, deviceId, {
    protocolMessage: {
      type: proto.Message.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE,
      appStateSyncKeyShare: {
        keys: [
          {
            keyId: { keyId },
            keyData: {
              keyData: account.appStateKeys.get(keyId.toString('base64')),
              fingerprint: { rawId: 1, currentIndex: 0, deviceIndexes: [0, deviceId] },
              timestamp: Date.now(),
            },
          },
        ],
      },
    },
  })
  return keyId.toString('base64')
}

/** One chat of a history sync, as a test describes it. */
export interface HistoryChat {
  /** The other party's phone number (digits) or a group JID. */
  chat: string
  messages: {
    id?: string | undefined
    fromMe?: boolean | undefined
    text: string
    timestamp?: number | undefined
  }[]
}

/**
 * The phone sends a companion a history-sync chunk (inline, as it does for the initial
 * bootstrap): the chats with their messages, and the push names and LIDs of the people in them.
 */
export async function sendHistory(
  net: TestNetwork,
  account: Account,
  deviceId: number,
  syncType: keyof typeof proto.HistorySync.HistorySyncType,
  chats: HistoryChat[],
  /** The history request (peer message id) this chunk answers. */
  requestId?: string,
): Promise<void> {
  const t = Math.floor(Date.now() / 1000)
  const people = chats
    .flatMap((c) => (c.chat.includes('@') ? [] : [net.accounts.get(c.chat)]))
    .filter((a) => a !== undefined)
  const history: proto.IHistorySync = {
    syncType: proto.HistorySync.HistorySyncType[syncType],
    chunkOrder: 1,
    progress: 100,
    conversations: chats.map((c) => {
      const jid = c.chat.includes('@') ? c.chat : pnJid(c.chat)
      const person = c.chat.includes('@') ? undefined : net.accounts.get(c.chat)
      return {
        id: jid,
        ...(person ? { name: person.name, lidJid: `${person.lid}@lid` } : {}),
        messages: c.messages.map((m, i) => ({
          message: {
            key: {
              remoteJid: jid,
              fromMe: Boolean(m.fromMe),
              id: m.id ?? randomBytes(8).toString('hex').toUpperCase(),
            },
            message: { conversation: m.text },
            messageTimestamp: m.timestamp ?? t - 60 * (c.messages.length - i),
            ...(m.fromMe ? {} : { pushName: net.accounts.get(c.chat)?.name ?? '' }),
          },
        })),
      }
    }),
    pushnames: people.map((a) => ({ id: pnJid(a.phone), pushname: a.name })),
    phoneNumberToLidMappings: people.map((a) => ({ pnJid: pnJid(a.phone), lidJid: `${a.lid}@lid` })),
  }
  await sendAsPhone(net, account, deviceId, {
    protocolMessage: {
      type: proto.Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION,
      historySyncNotification: {
        syncType: history.syncType,
        chunkOrder: 1,
        progress: 100,
        initialHistBootstrapInlinePayload: deflateSync(proto.HistorySync.encode(history).finish()),
        ...(requestId
          ? { peerDataRequestSessionId: requestId, fullHistorySyncOnDemandRequestMetadata: { requestId } }
          : {}),
      },
    },
  })
}

const COPIES = 1000

/**
 * Keeps the phone's copy of a message a virtual contact sent to `to` (the phone decrypts its own
 * copy of every message; the network takes the sender's plaintext instead).
 */
export function keepPhoneCopy(net: TestNetwork, to: string, sent: proto.IWebMessageInfo, fromPhone: string) {
  const target = net.accounts.resolve(to)
  const id = sent.key?.id
  if (!target || !id || to.endsWith('@g.us')) return
  const copies = target.account.phoneCopies
  const sender = net.accounts.get(fromPhone)
  copies.set(id, {
    key: {
      remoteJid: target.server === 'lid' && sender ? `${sender.lid}@lid` : pnJid(fromPhone),
      fromMe: false,
      id,
    },
    message: sent.message ?? null,
    messageTimestamp: sent.messageTimestamp ?? Math.floor(Date.now() / 1000),
    pushName: sender?.name ?? '',
  })
  if (copies.size > COPIES) copies.delete(copies.keys().next().value!)
}

/**
 * A peer message from one of the account's companions reached the phone: it decrypts it and
 * answers a placeholder-resend request with its copies of the messages asked for.
 */
export async function phoneReceives(
  net: TestNetwork,
  account: Account,
  fromDevice: number,
  stanzaId: string,
  encs: BinaryNode[],
): Promise<void> {
  const { repository } = phoneOf(account)
  for (const enc of encs) {
    if (!(enc.content instanceof Uint8Array)) continue
    const plain = await repository.decryptMessage({
      jid: pnJid(account.phone, fromDevice),
      type: enc.attrs.type as 'pkmsg' | 'msg',
      ciphertext: enc.content,
    })
    const message = proto.Message.decode(unpadRandomMax16(plain))
    // Own devices wrap what they send in a DeviceSentMessage.
    const request = (message.deviceSentMessage?.message ?? message).protocolMessage
      ?.peerDataOperationRequestMessage
    if (!request) continue
    account.peerRequests++
    if (answerHistoryRequest(net, account, fromDevice, stanzaId, request)) continue
    if (
      request.peerDataOperationRequestType !==
      proto.Message.PeerDataOperationRequestType.PLACEHOLDER_MESSAGE_RESEND
    )
      continue
    const results = (request.placeholderMessageResendRequest ?? []).flatMap((r) => {
      const copy = r.messageKey?.id ? account.phoneCopies.get(r.messageKey.id) : undefined
      return copy
        ? [
            {
              placeholderMessageResendResponse: {
                webMessageInfoBytes: proto.WebMessageInfo.encode(copy).finish(),
              },
            },
          ]
        : []
    })
    if (results.length === 0) continue
    await sendAsPhone(net, account, fromDevice, {
      protocolMessage: {
        type: proto.Message.ProtocolMessage.Type.PEER_DATA_OPERATION_REQUEST_RESPONSE_MESSAGE,
        peerDataOperationRequestResponseMessage: {
          peerDataOperationRequestType: proto.Message.PeerDataOperationRequestType.PLACEHOLDER_MESSAGE_RESEND,
          stanzaId,
          peerDataOperationResult: results,
        },
      },
    })
  }
}

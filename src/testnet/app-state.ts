import { randomBytes } from 'node:crypto'
import {
  type AuthenticationCreds,
  addTransactionCapability,
  type BinaryNode,
  encodeWAMessage,
  generateSignalPubKey,
  proto,
  signedKeyPair,
} from 'baileys'
import { makeLibSignalRepository } from 'baileys/lib/Signal/libsignal.js'
import { pino } from 'pino'
import { type Account, pnJid } from './accounts.js'
import { memoryAuthState } from './memory-auth.js'
import { now, type TestNetwork } from './network.js'

type Repository = ReturnType<typeof makeLibSignalRepository>

/** Device 0 (the phone) as a Signal sender, created when it first needs to speak. */
const phones = new WeakMap<Account, Repository>()

function phoneOf(account: Account): Repository {
  let repository = phones.get(account)
  if (!repository) {
    const auth = memoryAuthState()
    const creds: Partial<AuthenticationCreds> = {
      signedIdentityKey: account.identity,
      signedPreKey: signedKeyPair(account.identity, 1),
      registrationId: 1 + Math.floor(Math.random() * 16_000),
    }
    Object.assign(auth.creds, creds)
    const logger = pino({ level: 'silent' })
    const keys = addTransactionCapability(auth.keys, logger, { maxCommitRetries: 1, delayBetweenTriesMs: 0 })
    repository = makeLibSignalRepository({ creds: auth.creds, keys } as never, logger)
    phones.set(account, repository)
  }
  return repository
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
  const device = account.devices.get(deviceId)
  const keys = device?.keys
  if (!device || !keys?.signedPreKey) throw new Error(`device ${deviceId} of ${account.phone} has no keys`)
  const jid = pnJid(account.phone, deviceId)
  const repository = phoneOf(account)
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
  const keyId = randomBytes(6)
  account.appStateKeys.set(keyId.toString('base64'), randomBytes(32))
  const message: proto.IMessage = {
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
  return keyId.toString('base64')
}

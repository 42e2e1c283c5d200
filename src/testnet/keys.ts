import { type BinaryNode, getBinaryNodeChild, getBinaryNodeChildBuffer, getBinaryNodeChildren } from 'baileys'
import type { DeviceKeys } from './accounts.js'

const KEY_TYPE = Buffer.from([5])
const uint = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).readUIntBE(0, bytes.length) : 0)
const be = (value: number, size: number) => {
  const out = Buffer.alloc(size)
  out.writeUIntBE(value, 0, size)
  return out
}

/** Applies an `encrypt set` upload (registration id, identity, pre-keys, signed pre-key). */
export function applyKeyUpload(keys: DeviceKeys, iq: BinaryNode): void {
  const registration = getBinaryNodeChildBuffer(iq, 'registration')
  if (registration) keys.registrationId = uint(registration)
  const identity = getBinaryNodeChildBuffer(iq, 'identity')
  if (identity) keys.identity = Buffer.from(identity)
  for (const key of getBinaryNodeChildren(getBinaryNodeChild(iq, 'list'), 'key')) {
    const value = getBinaryNodeChildBuffer(key, 'value')
    if (value) keys.preKeys.set(uint(getBinaryNodeChildBuffer(key, 'id')), Buffer.from(value))
  }
  const skey = getBinaryNodeChild(iq, 'skey') ?? getBinaryNodeChild(getBinaryNodeChild(iq, 'rotate'), 'skey')
  if (skey) {
    keys.signedPreKey = {
      id: uint(getBinaryNodeChildBuffer(skey, 'id')),
      value: Buffer.from(getBinaryNodeChildBuffer(skey, 'value') ?? []),
      signature: Buffer.from(getBinaryNodeChildBuffer(skey, 'signature') ?? []),
    }
  }
}

/** One `<user>` of an `encrypt get key` answer; hands a one-time pre-key out once. */
export function keyBundle(jid: string, keys: DeviceKeys | undefined): BinaryNode {
  if (!keys?.signedPreKey) {
    return {
      tag: 'user',
      attrs: { jid },
      content: [{ tag: 'error', attrs: { code: '404', text: 'item-not-found' } }],
    }
  }
  const content: BinaryNode[] = [
    { tag: 'registration', attrs: {}, content: be(keys.registrationId, 4) },
    { tag: 'type', attrs: {}, content: KEY_TYPE },
    { tag: 'identity', attrs: {}, content: keys.identity },
    {
      tag: 'skey',
      attrs: {},
      content: [
        { tag: 'id', attrs: {}, content: be(keys.signedPreKey.id, 3) },
        { tag: 'value', attrs: {}, content: keys.signedPreKey.value },
        { tag: 'signature', attrs: {}, content: keys.signedPreKey.signature },
      ],
    },
  ]
  const first = keys.preKeys.entries().next().value
  if (first) {
    const [id, value] = first
    keys.preKeys.delete(id)
    content.push({
      tag: 'key',
      attrs: {},
      content: [
        { tag: 'id', attrs: {}, content: be(id, 3) },
        { tag: 'value', attrs: {}, content: value },
      ],
    })
  }
  return { tag: 'user', attrs: { jid }, content }
}

/** The keys a companion announced in its registration payload. */
export function keysFromRegistration(data: {
  eRegid?: Uint8Array | null
  eIdent?: Uint8Array | null
  eSkeyId?: Uint8Array | null
  eSkeyVal?: Uint8Array | null
  eSkeySig?: Uint8Array | null
}): DeviceKeys {
  return {
    registrationId: uint(data.eRegid ?? undefined),
    identity: Buffer.from(data.eIdent ?? []),
    signedPreKey: {
      id: uint(data.eSkeyId ?? undefined),
      value: Buffer.from(data.eSkeyVal ?? []),
      signature: Buffer.from(data.eSkeySig ?? []),
    },
    preKeys: new Map(),
  }
}

import { createHmac, randomInt } from 'node:crypto'
import { type BinaryNode, Curve, proto } from 'baileys'
import type { Account } from './accounts.js'

const ACCOUNT_SIGNATURE_PREFIX = Buffer.from([6, 0])

/** What a gateway's QR encodes: `ref,noiseKey,identityKey,advSecret,platform` (after `#` if a URL). */
export interface QrData {
  ref: string
  noiseKey: Buffer
  identityKey: Buffer
  advSecret: Buffer
}

export function parseQr(qr: string): QrData | undefined {
  const parts = qr.slice(qr.lastIndexOf('#') + 1).split(',')
  if (parts.length < 4) return undefined
  const [ref, noise, identity, adv] = parts as [string, string, string, string]
  const noiseKey = Buffer.from(noise, 'base64')
  const identityKey = Buffer.from(identity, 'base64')
  const advSecret = Buffer.from(adv, 'base64')
  if (noiseKey.length !== 32 || identityKey.length !== 32 || advSecret.length !== 32) return undefined
  return { ref, noiseKey, identityKey, advSecret }
}

/**
 * The phone's half of linking a companion: an ADV device identity for `keyIndex`, signed with the
 * phone's identity key and HMACed with the companion's ADV secret, wrapped in `pair-success`.
 */
export function pairSuccess(
  account: Account,
  device: { id: number; keyIndex: number },
  companion: { identityKey: Buffer; advSecret: Buffer },
  id: string,
): BinaryNode {
  const details = proto.ADVDeviceIdentity.encode({
    rawId: randomInt(1, 2 ** 31),
    timestamp: Math.floor(Date.now() / 1000),
    keyIndex: device.keyIndex,
  }).finish()
  const signed = proto.ADVSignedDeviceIdentity.encode({
    details,
    accountSignatureKey: account.identity.public,
    accountSignature: Curve.sign(
      account.identity.private,
      Buffer.concat([ACCOUNT_SIGNATURE_PREFIX, details, companion.identityKey]),
    ),
  }).finish()
  const hmac = createHmac('sha256', companion.advSecret).update(signed).digest()
  return {
    tag: 'iq',
    attrs: { from: 's.whatsapp.net', type: 'set', id, xmlns: 'md' },
    content: [
      {
        tag: 'pair-success',
        attrs: {},
        content: [
          {
            tag: 'device-identity',
            attrs: {},
            content: proto.ADVSignedDeviceIdentityHMAC.encode({ details: signed, hmac }).finish(),
          },
          {
            tag: 'device',
            attrs: {
              jid: `${account.phone}:${device.id}@s.whatsapp.net`,
              lid: `${account.lid}:${device.id}@lid`,
            },
          },
          { tag: 'platform', attrs: { name: 'android' } },
        ],
      },
    ],
  }
}

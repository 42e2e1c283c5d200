import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { Cipher, DecryptError, safeEqual, tokenHash } from './cipher.js'

describe('cipher', () => {
  const cipher = new Cipher(randomBytes(32))

  it('round-trips text, bytes and JSON, with a fresh IV each time', () => {
    const sealed = cipher.encrypt('héllo wörld')
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/)
    assert.equal(cipher.decrypt(sealed), 'héllo wörld')
    assert.notEqual(cipher.encrypt('same'), cipher.encrypt('same'))
    const bytes = randomBytes(1000)
    assert.deepEqual(cipher.decryptBuffer(cipher.encrypt(bytes)), bytes)
    assert.deepEqual(cipher.decryptJson(cipher.encryptJson({ a: [1, 'b'] })), { a: [1, 'b'] })
  })

  it('refuses a wrong key and damaged data instead of returning garbage', () => {
    const sealed = cipher.encrypt('secret')
    assert.throws(() => new Cipher(randomBytes(32)).decrypt(sealed), DecryptError)
    const raw = Buffer.from(sealed.slice(3), 'base64url')
    for (const at of [0, 12, raw.length - 1]) {
      const bytes = Buffer.from(raw)
      bytes[at] = (bytes[at] as number) ^ 0x01
      assert.throws(
        () => cipher.decrypt(`v1.${bytes.toString('base64url')}`),
        DecryptError,
        `byte ${at} flipped`,
      )
    }
    assert.throws(() => cipher.decrypt('v2.abc'), DecryptError)
    assert.throws(() => cipher.decrypt('v1.'), DecryptError)
  })

  it('needs a 32-byte key', () => {
    assert.throws(() => new Cipher(randomBytes(16)))
  })

  it('hashes tokens and compares in constant time', () => {
    assert.equal(tokenHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    assert.equal(safeEqual('abc', 'abc'), true)
    assert.equal(safeEqual('abc', 'abcd'), false)
  })
})

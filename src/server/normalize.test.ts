import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Type } from '@sinclair/typebox'
import { keyNormalizer } from './normalize.js'

describe('key normalizer', () => {
  const schema = Type.Object({
    Phone: Type.String({ 'x-aliases': ['number'] }),
    webhook: Type.String({ 'x-aliases': ['webhookURL'] }),
    skipMediaDownload: Type.Boolean(),
    s3Config: Type.Object({ access_key: Type.String() }),
    Options: Type.Array(Type.Object({ Name: Type.String() })),
    either: Type.Union([Type.Object({ Alpha: Type.String() }), Type.Object({ Beta: Type.String() })]),
  })
  const normalize = keyNormalizer(schema)

  it('matches keys ignoring case, underscores and dashes, recursively', () => {
    assert.deepEqual(
      normalize({
        phone: '1',
        WEBHOOKURL: 'u',
        skip_media_download: true,
        S3CONFIG: { accessKey: 'k' },
        options: [{ name: 'a' }],
        either: { alpha: 'x', beta: 'y' },
      }),
      {
        Phone: '1',
        webhook: 'u',
        skipMediaDownload: true,
        s3Config: { access_key: 'k' },
        Options: [{ Name: 'a' }],
        either: { Alpha: 'x', Beta: 'y' },
      },
    )
  })

  it('honours aliases and keeps unknown keys', () => {
    assert.deepEqual(normalize({ number: '55', extra: 1 }), { Phone: '55', extra: 1 })
  })

  it('lets the exact spelling win when a client sends two spellings', () => {
    assert.deepEqual(normalize({ phone: 'folded', Phone: 'exact' }), { Phone: 'exact' })
    assert.deepEqual(normalize({ Phone: 'exact', phone: 'folded' }), { Phone: 'exact' })
  })

  it('leaves non-objects alone and caches per schema', () => {
    assert.equal(normalize('text'), 'text')
    assert.equal(normalize(null), null)
    assert.equal(keyNormalizer(schema), normalize)
  })
})

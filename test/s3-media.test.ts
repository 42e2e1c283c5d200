import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { eventually } from '../src/testnet/harness.js'
import { createUser, useApp } from './helpers/app.js'
import { useReceiver } from './helpers/receiver.js'
import { S3_KEY, useS3 } from './helpers/s3.js'
import { linkSession, useNetwork } from './helpers/testnet.js'

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
  'base64',
)

type Hooked = {
  event: string
  data: Record<string, unknown> & {
    id: string
    base64?: string
    mimeType?: string
    mediaError?: string
    s3?: { url: string; key: string; bucket: string; size: number; mimeType: string }
  }
}

describe('media of received messages: inline, in S3, skipped, expired, removed', () => {
  const network = useNetwork()
  const s3 = useS3(['media', 'shared'])
  const receiver = useReceiver<Hooked>()
  const calls = receiver.calls
  const saved = { ...process.env }
  after(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  })
  const t = useApp('sqlite', () => ({ ZAPWIRE_TESTNET: network.net.running.info.controlUrl }))
  const me = '5521996000001'
  const alice = '5521996000002'
  let headers: Record<string, string> = {}
  let userId = ''
  const post = (url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) })
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers })
  const s3Settings = () => ({
    enabled: true,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    bucket: 'media',
    access_key: S3_KEY,
    secret_key: S3_KEY,
    path_style: true,
    media_delivery: 'both',
  })

  /** Alice sends a PNG; answers what the webhook got for it. */
  const imageFromAlice = async () => {
    const id = await network.net.running.contacts.get(alice)!.send({
      to: `${me}@s.whatsapp.net`,
      image: { base64: PNG.toString('base64'), mimetype: 'image/png' },
    })
    return eventually('the image at the webhook', async () => calls.find((c) => c.data.id === id), 20_000)
  }

  before(async () => {
    await network.net.contact(alice, 'Alice')
    const user = await createUser(t, { name: 's3' })
    headers = { token: user.token }
    userId = user.id
    assert.equal((await post('/webhook', { webhook: receiver.url(), events: ['Message'] })).statusCode, 200)
    await linkSession(t, network.net, user.token, me)
  })

  it('without S3 the event carries the file inline (base64)', async () => {
    const hooked = await imageFromAlice()
    assert.equal(Buffer.from(hooked.data.base64!, 'base64').toString('hex'), PNG.toString('hex'))
    assert.equal(hooked.data.mimeType, 'image/png')
    assert.equal(hooked.data.s3, undefined)
  })

  it('refuses bad S3 settings with a 400 and keeps the old ones', async () => {
    const metadata = await post('/session/s3/config', { ...s3Settings(), endpoint: 'http://169.254.169.254' })
    assert.equal(metadata.statusCode, 400, metadata.body)
    assert.match(metadata.json().error, /endpoint/)
    const noBucket = await post('/session/s3/config', { ...s3Settings(), bucket: '' })
    assert.equal(noBucket.statusCode, 400)
    const badMode = await post('/session/s3/config', { ...s3Settings(), media_delivery: 'ftp' })
    assert.equal(badMode.statusCode, 400)
    assert.equal((await get('/session/s3/config')).json().data.enabled, false)
    // Testing settings that are off is refused; an unknown key or bucket is S3's refusal, a 400
    // too (s3rver checks access keys, not SigV4 signatures).
    assert.equal((await post('/session/s3/test')).statusCode, 400)
    const miauzap = {
      endpoint: s3.endpoint,
      access_key: S3_KEY,
      secret_key: S3_KEY,
      bucket: 'media',
      region: 'us-east-1',
      force_path_style: true,
    }
    assert.equal((await post('/s3/test', miauzap)).statusCode, 200)
    for (const wrong of [{ access_key: 'NOT-A-KEY' }, { bucket: 'no-such-bucket' }]) {
      const res = await post('/s3/test', { ...miauzap, ...wrong })
      assert.equal(res.statusCode, 400, res.body)
      assert.match(res.json().error, /S3 connection test failed \(HTTP 40[34]\)/)
    }
  })

  it('with S3 on (both), the file is uploaded, linked in the event and inline too', async () => {
    const saved = await post('/session/s3/config', s3Settings())
    assert.equal(saved.statusCode, 200, saved.body)
    assert.deepEqual(saved.json().data, { Details: 'S3 configuration saved successfully', Enabled: true })
    const view = (await get('/session/s3/config')).json().data
    assert.equal(view.access_key, '***')
    assert.equal(view.secret_key, undefined)
    assert.equal(view.media_delivery, 'both')
    const tested = await post('/session/s3/test')
    assert.equal(tested.statusCode, 200, tested.body)
    assert.equal(tested.json().data.Bucket, 'media')

    const hooked = await imageFromAlice()
    assert.equal(Buffer.from(hooked.data.base64!, 'base64').toString('hex'), PNG.toString('hex'))
    const link = hooked.data.s3!
    assert.equal(link.bucket, 'media')
    assert.ok(link.key.startsWith(`${userId}/`), link.key)
    assert.ok(link.key.endsWith(`${hooked.data.id}.png`), link.key)
    assert.equal(link.url, `${s3.endpoint}/media/${link.key}`)
    assert.equal(link.size, PNG.length)
    // Downloaded back from the bucket: the same bytes.
    assert.equal((await s3.get('media', link.key)).toString('hex'), PNG.toString('hex'))
  })

  it('media_delivery s3 gives only the link; Miauzap’s /s3/config reads the same settings', async () => {
    assert.equal(
      (await post('/session/s3/config', { media_delivery: 's3', path_prefix: 'wa/' })).statusCode,
      200,
    )
    const miauzap = (await get('/s3/config')).json().data
    assert.deepEqual(miauzap, {
      endpoint: s3.endpoint,
      bucket: 'media',
      region: 'us-east-1',
      path_prefix: 'wa/',
      force_path_style: true,
    })
    const hooked = await imageFromAlice()
    assert.equal(hooked.data.base64, undefined)
    assert.ok(hooked.data.s3!.key.startsWith(`wa/${userId}/`))
    assert.equal((await s3.get('media', hooked.data.s3!.key)).length, PNG.length)
    assert.equal((await post('/session/s3/config', { path_prefix: '' })).statusCode, 200)
  })

  it('skip media (user, then GLOBAL_SKIP_MEDIA_DOWNLOAD) sends metadata only', async () => {
    assert.equal((await post('/session/skipmedia/config', { enabled: true })).statusCode, 200)
    let hooked = await imageFromAlice()
    assert.equal(hooked.data.base64, undefined)
    assert.equal(hooked.data.s3, undefined)
    assert.ok(hooked.data.media, 'the file’s descriptor stays')
    assert.equal((await post('/session/skipmedia/config', { enabled: false })).statusCode, 200)

    process.env.GLOBAL_SKIP_MEDIA_DOWNLOAD = 'true'
    await t.admin({ method: 'POST', url: '/admin/global/config/reload' })
    const read = (await get('/session/skipmedia/config')).json()
    assert.equal(read.UserSkipMediaDownload, false)
    assert.equal(read.GlobalSkipMediaDownload, true)
    hooked = await imageFromAlice()
    assert.equal(hooked.data.s3, undefined)
    assert.equal(hooked.data.base64, undefined)
    delete process.env.GLOBAL_SKIP_MEDIA_DOWNLOAD
    await t.admin({ method: 'POST', url: '/admin/global/config/reload' })
  })

  it('the retention worker deletes objects older than retention_days, and only those', async () => {
    assert.equal((await post('/session/s3/config', { retention_days: 2 })).statusCode, 200)
    const old = await s3.keys('media', `${userId}/`)
    assert.ok(old.length >= 1, `objects so far: ${old.length}`)
    s3.age('media', `${userId}/`, 3)
    const fresh = (await imageFromAlice()).data.s3!.key
    const before = (await t.admin({ method: 'GET', url: '/admin/global/s3-retention/stats' })).json().data
    const trigger = await t.admin({ method: 'POST', url: '/admin/global/s3-retention/trigger' })
    assert.equal(trigger.statusCode, 200)
    assert.equal(trigger.json().success, true)
    const stats = await eventually(
      'a retention cycle',
      async () => {
        const s = (await t.admin({ method: 'GET', url: '/admin/global/s3-retention/stats' })).json().data
        return s.cycle_count > before.cycle_count && !s.currently_running ? s : undefined
      },
      10_000,
    )
    assert.equal(stats.objects_deleted - before.objects_deleted, old.length)
    assert.equal(stats.error_count, 0)
    assert.equal(stats.config.interval, '1h0m0s')
    assert.deepEqual(await s3.keys('media', `${userId}/`), [fresh])
  })

  it('the global S3 pipeline takes users without their own bucket, unless they opt out', async () => {
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: '/session/s3/config', headers })).statusCode,
      200,
    )
    assert.equal((await get('/session/s3/config')).json().data.enabled, false)
    Object.assign(process.env, {
      GLOBAL_S3_ENABLED: 'true',
      GLOBAL_S3_ENDPOINT: s3.endpoint,
      GLOBAL_S3_BUCKET: 'shared',
      GLOBAL_S3_ACCESS_KEY: S3_KEY,
      GLOBAL_S3_SECRET_KEY: S3_KEY,
      GLOBAL_S3_PATH_STYLE: 'true',
      GLOBAL_S3_PUBLIC_URL: 'https://cdn.example.com/wa',
    })
    const reload = await t.admin({ method: 'POST', url: '/admin/global/config/reload' })
    assert.equal(reload.json().config.s3.enabled, true)
    assert.equal(reload.json().config.s3.bucket.secretKey, '***')
    let hooked = await imageFromAlice()
    assert.equal(hooked.data.s3!.bucket, 'shared')
    assert.equal(hooked.data.s3!.url, `https://cdn.example.com/wa/${hooked.data.s3!.key}`)
    assert.ok(hooked.data.base64, 'the global pipeline delivers both by default')
    assert.equal((await s3.get('shared', hooked.data.s3!.key)).length, PNG.length)

    assert.equal((await post('/session/globaltransports/config', { skipGlobalS3: true })).statusCode, 200)
    hooked = await imageFromAlice()
    assert.equal(hooked.data.s3, undefined)
    assert.ok(hooked.data.base64)
  })

  it('deleting the user fully removes its objects from its bucket and the shared one', async () => {
    assert.equal((await post('/session/s3/config', s3Settings())).statusCode, 200)
    await imageFromAlice()
    assert.ok((await s3.keys('media', `${userId}/`)).length > 0)
    assert.ok((await s3.keys('shared', `${userId}/`)).length > 0)
    const removed = await t.admin({ method: 'DELETE', url: `/admin/users/${userId}/full` })
    assert.equal(removed.statusCode, 200, removed.body)
    assert.deepEqual(await s3.keys('media', `${userId}/`), [])
    assert.deepEqual(await s3.keys('shared', `${userId}/`), [])
  })
})

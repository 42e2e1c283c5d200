import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Type } from '@sinclair/typebox'
import Fastify from 'fastify'
import { normalizeInput } from './index.js'

describe('wuzapi input normalisation', () => {
  async function app() {
    const server = Fastify({ ajv: { customOptions: { keywords: ['x-aliases'] } } })
    server.addHttpMethod('GET', { hasBody: true, overrideExisting: true })
    server.addHook('preValidation', normalizeInput)
    const querystring = Type.Object({ GroupJID: Type.String(), reset: Type.Optional(Type.Boolean()) })
    server.get('/group/info', { schema: { querystring } }, async (req) => req.query)
    const body = Type.Object({ Phone: Type.String({ 'x-aliases': ['number'] }), Body: Type.String() })
    server.post('/chat/send/text', { schema: { body } }, async (req) => req.body)
    await server.ready()
    return server
  }

  it('reads a JSON body on GET as query parameters, keys matched to the schema', async () => {
    const server = await app()
    const res = await server.inject({
      method: 'GET',
      url: '/group/info?reset=true',
      payload: { groupjid: '123@g.us' },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { GroupJID: '123@g.us', reset: true })
    const plain = await server.inject({ method: 'GET', url: '/group/info?groupJID=9@g.us' })
    assert.deepEqual(plain.json(), { GroupJID: '9@g.us' })
    await server.close()
  })

  it('matches body keys case-insensitively and by alias before validation', async () => {
    const server = await app()
    const res = await server.inject({
      method: 'POST',
      url: '/chat/send/text',
      payload: { number: '5511', body: 'hi' },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { Phone: '5511', Body: 'hi' })
    const missing = await server.inject({ method: 'POST', url: '/chat/send/text', payload: { body: 'hi' } })
    assert.equal(missing.statusCode, 400)
    await server.close()
  })
})

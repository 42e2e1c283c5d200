import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyError } from 'fastify'
import { lidJid, pnJid } from './accounts.js'
import type { SendRequest } from './contact.js'
import { FAULT_KINDS, type Fault } from './faults.js'
import { NetworkError } from './network.js'
import { sendHistory, shareAppStateKey } from './phone.js'
import { setPresence } from './presence.js'
import type { RunningNetwork } from './server.js'

const Phone = Type.String({ pattern: '^\\d{6,15}$', description: 'digits only, with country code' })
const Problem = Type.Object({ error: Type.String() })
const AccountView = Type.Object({
  phone: Type.String(),
  jid: Type.String(),
  lid: Type.String(),
  name: Type.String(),
})

/** The network's HTTP control API (JSON). See docs/testnet.md. */
export const controlRoutes: FastifyPluginAsyncTypebox<{ running: RunningNetwork }> = async (
  app,
  { running },
) => {
  const { network } = running
  const contact = (phone: string) => {
    const found = running.contacts.get(phone)
    if (!found) throw new NetworkError(404, `${phone} is not a virtual contact`)
    return found
  }
  const view = (phone: string) => {
    const account = network.accounts.get(phone)
    if (!account) throw new NetworkError(404, `no account ${phone}`)
    return { phone, jid: pnJid(phone), lid: lidJid(account.lid), name: account.name }
  }

  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const status = err instanceof NetworkError ? err.status : (err.statusCode ?? 500)
    return reply.status(status >= 400 && status < 600 ? status : 500).send({ error: err.message })
  })

  app.get(
    '/info',
    { schema: { response: { 200: Type.Record(Type.String(), Type.String()) } } },
    async () => ({
      ...running.info,
    }),
  )

  app.get('/accounts', { schema: { response: { 200: Type.Array(AccountView) } } }, async () =>
    network.accounts.all().map((a) => view(a.phone)),
  )

  app.post(
    '/accounts',
    {
      schema: {
        body: Type.Object({
          phone: Phone,
          name: Type.Optional(Type.String()),
          virtual: Type.Optional(Type.Boolean({ description: 'run a Baileys client for it (default true)' })),
          echo: Type.Optional(Type.Boolean({ description: 'answer every text with the same text' })),
        }),
        response: { 201: AccountView, 400: Problem },
      },
    },
    async (req, reply) => {
      const { phone, name, virtual, echo } = req.body
      await running.createAccount(phone, name ?? phone, { virtual, echo })
      return reply.status(201).send(view(phone))
    },
  )

  app.post(
    '/accounts/:phone/link',
    {
      schema: {
        params: Type.Object({ phone: Phone }),
        body: Type.Object({ qr: Type.Optional(Type.String()), code: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ jid: Type.String() }), 400: Problem, 404: Problem },
      },
    },
    async (req) => {
      if (req.body.qr) return { jid: network.link(req.params.phone, req.body.qr) }
      if (req.body.code) return { jid: await network.linkByCode(req.params.phone, req.body.code) }
      throw new NetworkError(400, 'give qr or code')
    },
  )

  app.post(
    '/accounts/:phone/messages',
    {
      schema: {
        params: Type.Object({ phone: Phone }),
        body: Type.Object({ to: Type.String() }, { additionalProperties: true }),
        response: { 200: Type.Object({ id: Type.String() }), 400: Problem, 404: Problem },
      },
    },
    async (req) => ({ id: await contact(req.params.phone).send(req.body as SendRequest) }),
  )

  app.get(
    '/accounts/:phone/messages',
    { schema: { params: Type.Object({ phone: Phone }) } },
    async (req) => contact(req.params.phone).inbox,
  )

  app.post(
    '/accounts/:phone/presence',
    {
      schema: {
        params: Type.Object({ phone: Phone }),
        body: Type.Object({ type: Type.Union([Type.Literal('available'), Type.Literal('unavailable')]) }),
        response: { 204: Type.Null(), 404: Problem },
      },
    },
    async (req, reply) => {
      const account = network.accounts.get(req.params.phone)
      if (!account) throw new NetworkError(404, `no account ${req.params.phone}`)
      setPresence(network, account, req.body.type)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/accounts/:phone/app-state-key',
    {
      schema: {
        params: Type.Object({ phone: Phone }),
        body: Type.Object({ device: Type.Optional(Type.Integer({ minimum: 1, default: 1 })) }),
        response: { 200: Type.Object({ keyId: Type.String() }), 404: Problem },
      },
    },
    async (req) => {
      const account = network.accounts.get(req.params.phone)
      if (!account) throw new NetworkError(404, `no account ${req.params.phone}`)
      return { keyId: await shareAppStateKey(network, account, req.body.device ?? 1) }
    },
  )

  app.post(
    '/accounts/:phone/history',
    {
      schema: {
        summary: 'The phone sends a companion a history-sync chunk (chats with their messages)',
        params: Type.Object({ phone: Phone }),
        body: Type.Object({
          device: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
          syncType: Type.Optional(
            Type.Union(['INITIAL_BOOTSTRAP', 'RECENT', 'FULL', 'ON_DEMAND'].map((t) => Type.Literal(t))),
          ),
          chats: Type.Array(
            Type.Object({
              chat: Type.String({ minLength: 1 }),
              messages: Type.Array(
                Type.Object({
                  id: Type.Optional(Type.String({ minLength: 1 })),
                  fromMe: Type.Optional(Type.Boolean()),
                  text: Type.String(),
                  timestamp: Type.Optional(Type.Integer({ minimum: 1 })),
                }),
              ),
            }),
          ),
        }),
        response: { 204: Type.Null(), 404: Problem },
      },
    },
    async (req, reply) => {
      const account = network.accounts.get(req.params.phone)
      if (!account) throw new NetworkError(404, `no account ${req.params.phone}`)
      const syncType = (req.body.syncType ?? 'INITIAL_BOOTSTRAP') as 'INITIAL_BOOTSTRAP'
      await sendHistory(network, account, req.body.device ?? 1, syncType, req.body.chats)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/accounts/:phone/app-state',
    {
      schema: {
        params: Type.Object({ phone: Phone }),
        response: { 200: Type.Object({ patches: Type.Record(Type.String(), Type.Integer()) }), 404: Problem },
      },
    },
    async (req) => {
      const account = network.accounts.get(req.params.phone)
      if (!account) throw new NetworkError(404, `no account ${req.params.phone}`)
      return { patches: Object.fromEntries(account.appStatePatches) }
    },
  )

  app.post(
    '/media/expire',
    {
      schema: {
        summary:
          'Remove a file from the media server, as WhatsApp does after a while (its sender can upload it again)',
        body: Type.Object({ path: Type.String({ minLength: 1, description: 'URL or direct path' }) }),
        response: { 204: Type.Null(), 404: Problem },
      },
    },
    async (req, reply) => {
      if (!network.media?.expire(req.body.path)) throw new NetworkError(404, `no file ${req.body.path}`)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/faults',
    {
      schema: {
        body: Type.Object({
          jid: Type.String({ description: 'the device: phone:device@s.whatsapp.net or lid:device@lid' }),
          kind: Type.Union(FAULT_KINDS.map((k) => Type.Literal(k))),
          code: Type.Optional(Type.Integer({ description: 'stream-error code, or the refuse-send error' })),
          ms: Type.Optional(Type.Integer({ minimum: 0 })),
          count: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 204: Type.Null(), 400: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const { jid, ...fault } = req.body
      if (fault.kind === 'stream-error' && fault.code === undefined)
        throw new NetworkError(400, 'stream-error needs code')
      if (fault.kind === 'delay' && fault.ms === undefined) throw new NetworkError(400, 'delay needs ms')
      network.inject(jid, fault as Fault)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/accounts/:phone/groups',
    {
      schema: {
        params: Type.Object({ phone: Phone }),
        body: Type.Object({
          subject: Type.String({ minLength: 1 }),
          participants: Type.Array(Type.String()),
        }),
        response: { 201: Type.Object({ jid: Type.String() }), 404: Problem },
      },
    },
    async (req, reply) => {
      const socket = contact(req.params.phone).client.socket!
      const group = await socket.groupCreate(req.body.subject, req.body.participants)
      return reply.status(201).send({ jid: group.id })
    },
  )

  app.post(
    '/accounts/:phone/groups/:jid/participants',
    {
      schema: {
        params: Type.Object({ phone: Phone, jid: Type.String() }),
        body: Type.Object({
          action: Type.Union([
            Type.Literal('add'),
            Type.Literal('remove'),
            Type.Literal('promote'),
            Type.Literal('demote'),
          ]),
          participants: Type.Array(Type.String()),
        }),
        response: {
          200: Type.Array(Type.Object({ jid: Type.String(), status: Type.String() })),
          404: Problem,
        },
      },
    },
    async (req) => {
      const socket = contact(req.params.phone).client.socket!
      const results = await socket.groupParticipantsUpdate(
        req.params.jid,
        req.body.participants,
        req.body.action,
      )
      return results.map((r) => ({ jid: r.jid ?? '', status: r.status }))
    },
  )

  app.get('/accounts/:phone/sent', { schema: { params: Type.Object({ phone: Phone }) } }, async (req) => [
    ...contact(req.params.phone).sent.values(),
  ])
}

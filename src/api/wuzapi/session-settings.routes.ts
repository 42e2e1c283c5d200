import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TSchema, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import type { GlobalTransportSkips, User, UserInput } from '../../services/users.model.js'
import { Envelope, errorResponses, ok } from './envelope.js'

const tags = ['Session settings']
const security = [{ ApiKeyAuth: [] }]
const Bool = Type.Boolean()
const Enabled = Type.Object({ enabled: Bool })

/** DIGIGO's per-user skip switches: route name → the user setting and the answer's key. */
const SKIPS = {
  skipmedia: {
    setting: 'skipMediaDownload',
    key: 'SkipMediaDownload',
    read: 'UserSkipMediaDownload',
    what: 'media download',
  },
  skipgroups: { setting: 'skipGroups', key: 'SkipGroups', read: 'UserSkipGroups', what: 'group events' },
  skipnewsletters: {
    setting: 'skipNewsletters',
    key: 'SkipNewsletters',
    read: 'SkipNewsletters',
    what: 'newsletter events',
  },
  skipbroadcasts: {
    setting: 'skipBroadcasts',
    key: 'SkipBroadcasts',
    read: 'SkipBroadcasts',
    what: 'broadcast and status events',
  },
  skipownmessages: {
    setting: 'skipOwnMessages',
    key: 'SkipOwnMessages',
    read: 'SkipOwnMessages',
    what: 'own messages',
  },
} as const

const skipsView = (s: GlobalTransportSkips) => ({ ...s })

/** `/session/echo/api`, `/session/skip*`, `/session/globaltransports/config` (DIGIGO). */
export const sessionSettingsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { users, mediaPipeline } = services
  const update = (user: User, input: UserInput) => users.update(user.id, input, 'user')
  const answer = (props: Record<string, TSchema>) => ({
    200: Type.Object({ Details: Type.String(), ...props }),
    ...errorResponses,
  })

  app.post(
    '/session/echo/api',
    {
      schema: {
        tags,
        security,
        summary: 'Report API sends as Message events (IsFromAPI), unless a send says otherwise',
        body: Enabled,
        response: answer({ EchoAPIMessages: Bool }),
      },
    },
    async (req) => {
      const user = await update(req.user!, { echoApiMessages: req.body.enabled })
      return {
        Details: 'Echo API messages configuration updated',
        EchoAPIMessages: user.settings.echoApiMessages,
      }
    },
  )
  app.get(
    '/session/echo/api',
    {
      schema: {
        tags,
        security,
        summary: 'Whether API sends are echoed',
        response: answer({ EchoAPIMessages: Bool }),
      },
    },
    async (req) => ({
      Details: 'Echo API messages configuration',
      EchoAPIMessages: req.user!.settings.echoApiMessages,
    }),
  )

  for (const [route, skip] of Object.entries(SKIPS)) {
    app.post(
      `/session/${route}/config`,
      {
        schema: {
          tags,
          security,
          summary: `Skip ${skip.what}`,
          body: Enabled,
          response: answer({ [skip.key]: Bool }),
        },
      },
      async (req) => {
        const user = await update(req.user!, { [skip.setting]: req.body.enabled })
        return { Details: `Skip ${skip.what} configuration updated`, [skip.key]: user.settings[skip.setting] }
      },
    )
    app.get(
      `/session/${route}/config`,
      {
        schema: {
          tags,
          security,
          summary: `Whether ${skip.what} are skipped`,
          response: answer({
            [skip.read]: Bool,
            ...(route === 'skipmedia' ? { GlobalSkipMediaDownload: Bool } : {}),
          }),
        },
      },
      async (req) => ({
        Details: `Skip ${skip.what} configuration`,
        [skip.read]: req.user!.settings[skip.setting],
        ...(route === 'skipmedia'
          ? {
              GlobalSkipMediaDownload: ['flag', 'global'].includes(mediaPipeline.skipReason(req.user!) ?? ''),
            }
          : {}),
      }),
    )
  }

  const RejectType = Type.Union([Type.Literal('busy'), Type.Literal('declined'), Type.Literal('unavailable')])
  const CallsAnswer = answer({ SkipCalls: Bool, RejectMessage: Type.String(), RejectType: Type.String() })
  const calls = (u: User) => ({
    SkipCalls: u.settings.skipCalls,
    RejectMessage: u.settings.callRejectMessage,
    RejectType: u.settings.callRejectType === 'decline' ? 'declined' : u.settings.callRejectType,
  })
  app.post(
    '/session/skipcalls/config',
    {
      schema: {
        tags,
        security,
        summary: 'Skip call events (and reject incoming calls with a message)',
        body: Type.Object({
          enabled: Bool,
          reject_message: Type.Optional(Type.String()),
          reject_type: Type.Optional(RejectType),
        }),
        response: CallsAnswer,
      },
    },
    async (req) => {
      const b = req.body
      const user = await update(req.user!, {
        skipCalls: b.enabled,
        ...(b.reject_message !== undefined ? { callRejectMessage: b.reject_message } : {}),
        ...(b.reject_type ? { callRejectType: b.reject_type } : {}),
      })
      return { Details: 'Skip calls configuration updated', ...calls(user) }
    },
  )
  app.get(
    '/session/skipcalls/config',
    { schema: { tags, security, summary: 'Whether call events are skipped', response: CallsAnswer } },
    async (req) => ({ Details: 'Skip calls configuration', ...calls(req.user!) }),
  )

  const Skips = Type.Object({
    skipGlobalWebhook: Bool,
    skipGlobalRabbitMQ: Bool,
    skipGlobalSQS: Bool,
    skipGlobalRedis: Bool,
    skipGlobalWebSocket: Bool,
    skipGlobalS3: Bool,
    details: Type.String(),
  })
  app.post(
    '/session/globaltransports/config',
    {
      schema: {
        tags,
        security,
        summary: 'Opt this user out of global transports (partial update)',
        body: Type.Partial(Type.Omit(Skips, ['details']), { additionalProperties: false, minProperties: 1 }),
        response: { 200: Envelope(Skips), ...errorResponses },
      },
    },
    async (req) => {
      const user = await update(req.user!, { globalTransportSkips: req.body })
      return ok({
        ...skipsView(user.settings.globalTransportSkips),
        details: 'Global transport configuration updated',
      })
    },
  )
  app.get(
    '/session/globaltransports/config',
    {
      schema: {
        tags,
        security,
        summary: 'This user’s opt-outs of global transports',
        response: { 200: Envelope(Skips), ...errorResponses },
      },
    },
    async (req) =>
      ok({
        ...skipsView(req.user!.settings.globalTransportSkips),
        details: 'Global transport configuration',
      }),
  )
}

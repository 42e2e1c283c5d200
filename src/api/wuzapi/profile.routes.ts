import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { Bool, err, live, presenceConfigTags, Str, userTags } from './account.schemas.js'
import { Envelope, errorResponses, ok } from './envelope.js'

/** The account's own profile, presence and address book: /user/presence, pushname, status, photo, contact; /session/presence/config. */
export const profileRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { account } = services

  app.post(
    '/user/presence',
    {
      schema: {
        ...userTags,
        summary:
          'Global presence (available/unavailable), or (Zapwire) subscribe to a user’s presence: Presence events follow',
        body: Type.Object({
          type: Type.String({
            description: 'available, unavailable, or subscribe (with phone)',
            'x-aliases': ['presence', 'state'],
          }),
          phone: Type.Optional(
            Type.String({ description: 'subscribe: whose presence', 'x-aliases': ['jid', 'to'] }),
          ),
        }),
        response: { 200: Envelope(Type.Object({ Details: Str })), ...live },
      },
    },
    async (req) => {
      const done = await account.setPresence(req.user!.id, req.body.type, req.body.phone)
      return ok({
        Details:
          done.type === 'subscribe' ? `Subscribed to ${done.jid}’s presence` : 'Presence set successfuly',
      })
    },
  )

  app.post(
    '/user/pushname',
    {
      schema: {
        ...userTags,
        summary: 'Change the push name (an app-state patch: needs the phone’s app-state key)',
        body: Type.Object({ push_name: Type.String({ 'x-aliases': ['name'] }) }),
        response: { 200: Envelope(Type.Object({ success: Bool, message: Str, push_name: Str })), ...live },
      },
    },
    async (req) => {
      const name = await account.setPushName(req.user!.id, req.body.push_name)
      return ok({ success: true, message: 'Push name updated successfully', push_name: name })
    },
  )

  app.get(
    '/user/status',
    {
      schema: {
        ...userTags,
        summary: 'Your own "about" text, as WhatsApp has it',
        response: { 200: Envelope(Type.Object({ status: Str })), ...live },
      },
    },
    async (req) => ok({ status: await account.ownAbout(req.user!.id) }),
  )

  app.post(
    '/user/status',
    {
      schema: {
        ...userTags,
        summary: 'Set your "about" text (at most 139 characters)',
        body: Type.Object({ status: Type.String({ 'x-aliases': ['about', 'text', 'body'] }) }),
        response: { 200: Envelope(Type.Object({ success: Bool, message: Str, status: Str })), ...live },
      },
    },
    async (req) => {
      const status = await account.setAbout(req.user!.id, req.body.status)
      return ok({ success: true, message: 'Status updated successfully', status })
    },
  )

  app.post(
    '/user/photo',
    {
      schema: {
        ...userTags,
        summary: 'Set your profile photo (JPEG: data URL, base64 or http(s) URL)',
        body: Type.Object({ Image: Type.String({ minLength: 1, 'x-aliases': ['photo', 'url'] }) }),
        response: { 200: Envelope(Type.Object({ Details: Str, PictureID: Str })), ...live },
      },
    },
    async (req) => {
      const id = await account.setPhoto(req.user!.id, req.body.Image)
      return ok({ Details: 'Profile photo set successfully', PictureID: id })
    },
  )

  app.post(
    '/user/photo/remove',
    {
      schema: {
        ...userTags,
        summary: 'Remove your profile photo',
        response: { 200: Envelope(Type.Object({ Details: Str })), ...live },
      },
    },
    async (req) => {
      await account.removePhoto(req.user!.id)
      return ok({ Details: 'Profile photo removed successfully' })
    },
  )

  app.post(
    '/user/contact/add',
    {
      schema: {
        ...userTags,
        summary: 'Save or rename a contact in the address book (app-state patch, synced to the phone)',
        body: Type.Object({
          phone: Type.String({ 'x-aliases': ['jid', 'number'] }),
          full_name: Type.String({ 'x-aliases': ['name', 'fullname'] }),
        }),
        response: {
          200: Envelope(Type.Object({ success: Bool, message: Str, phone: Str, full_name: Str })),
          ...live,
          ...err(404),
        },
      },
    },
    async (req) => {
      const saved = await account.saveContact(req.user!.id, req.body.phone, req.body.full_name)
      const message = 'Contact added successfully'
      return ok({ success: true, message, phone: saved.phone, full_name: saved.fullName })
    },
  )

  app.post(
    '/user/contact/remove',
    {
      schema: {
        ...userTags,
        summary: 'Remove a contact from the address book (app-state patch; the chat stays)',
        body: Type.Object({ phone: Type.String({ 'x-aliases': ['jid', 'number'] }) }),
        response: {
          200: Envelope(Type.Object({ success: Bool, message: Str, phone: Str })),
          ...live,
          ...err(404),
        },
      },
    },
    async (req) => {
      const removed = await account.removeContact(req.user!.id, req.body.phone)
      return ok({ success: true, message: 'Contact removed successfully', phone: removed.phone })
    },
  )

  app.post(
    '/session/presence/config',
    {
      schema: {
        ...presenceConfigTags,
        summary:
          'AutoPresenceUnavailable (stored; Zapwire never announces itself available on connect, so the phone keeps its notifications either way)',
        body: Type.Object({ enabled: Bool }),
        response: {
          200: Envelope(Type.Object({ Details: Str, AutoPresenceUnavailable: Bool })),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      ok({
        Details: 'Auto presence unavailable configuration updated successfully',
        AutoPresenceUnavailable: await account.presenceConfig(req.user!.id, req.body.enabled),
      }),
  )

  app.get(
    '/session/presence/config',
    {
      schema: {
        ...presenceConfigTags,
        summary: 'Whether AutoPresenceUnavailable is on',
        response: {
          200: Envelope(Type.Object({ AutoPresenceUnavailable: Bool, Details: Str })),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      ok({
        AutoPresenceUnavailable: await account.presenceConfig(req.user!.id),
        Details: 'Auto presence unavailable configuration retrieved successfully',
      }),
  )
}

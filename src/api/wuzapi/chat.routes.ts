import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, type TObject, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import type { ContentRequest } from '../../services/messages.service.js'
import { sendOptions, toChatList, toHistoryItem, toSent } from './chat.mapper.js'
import * as S from './chat.schemas.js'
import { Envelope, errorResponses, ok } from './envelope.js'
import {
  buttonsContent,
  carouselContent,
  flowContent,
  listContent,
  templateContent,
} from './interactive.mapper.js'
import * as I from './interactive.schemas.js'

const tags = ['Chat']
const security = [{ ApiKeyAuth: [] }]
const ref = Type.Ref('WuzapiError')
const refusals = { 404: ref, 409: ref, 422: ref, 429: ref }

/** `/chat/*`: every send type, reactions, edits, deletes, read receipts, presence, history. */
export const chatRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { messages, chats } = services

  /** A send route: its body schema, how the body becomes content, and its `Details` text. */
  const sendRoute = <T extends TObject>(
    path: string,
    summary: string,
    body: T,
    content: (b: Static<T>) => ContentRequest,
    details = 'Sent',
  ) =>
    app.post(
      path,
      {
        schema: {
          tags,
          security,
          summary,
          body,
          response: { 200: Envelope(S.Sent), ...errorResponses, ...refusals },
        },
      },
      async (req) => {
        const b = req.body as Static<T> & Parameters<typeof sendOptions>[0]
        return ok(
          toSent(await messages.send(req.user!.id, { ...sendOptions(b), content: content(b) }), details),
        )
      },
    )

  sendRoute('/chat/send/text', 'Send a text message', S.SendText, (b) => ({
    kind: 'text',
    text: b.Body,
    linkPreview: b.LinkPreview,
  }))
  sendRoute('/chat/send/link', 'Send a link (as text with the link)', S.SendLink, (b) => ({
    kind: 'text',
    text: b.Caption ? `${b.Caption}\n${b.Link}` : b.Link,
    linkPreview: true,
  }))
  sendRoute('/chat/send/image', 'Send an image', S.SendImage, (b) => ({
    kind: 'image',
    source: b.Image,
    mimetype: b.MimeType,
    caption: b.Caption,
    viewOnce: b.ViewOnce,
  }))
  sendRoute('/chat/send/audio', 'Send audio (a voice note unless PTT is false)', S.SendAudio, (b) => ({
    kind: 'audio',
    source: b.Audio,
    mimetype: b.MimeType,
    ptt: b.PTT ?? true,
    viewOnce: b.ViewOnce,
  }))
  sendRoute('/chat/send/document', 'Send a document', S.SendDocument, (b) => ({
    kind: 'document',
    source: b.Document,
    mimetype: b.MimeType,
    fileName: b.FileName,
    caption: b.Caption,
  }))
  sendRoute('/chat/send/video', 'Send a video', S.SendVideo, (b) => ({
    kind: 'video',
    source: b.Video,
    mimetype: b.MimeType,
    caption: b.Caption,
    viewOnce: b.ViewOnce,
    jpegThumbnail: b.JPEGThumbnail ? Buffer.from(b.JPEGThumbnail, 'base64') : undefined,
  }))
  sendRoute('/chat/send/ptv', 'Send a round video note (PTV)', S.SendVideo, (b) => ({
    kind: 'video',
    source: b.Video,
    mimetype: b.MimeType,
    ptv: true,
  }))
  sendRoute('/chat/send/sticker', 'Send a sticker (WebP)', S.SendSticker, (b) => ({
    kind: 'sticker',
    source: b.Sticker,
    mimetype: b.MimeType,
  }))
  sendRoute('/chat/send/location', 'Send a location', S.SendLocation, (b) => ({
    kind: 'location',
    latitude: b.Latitude,
    longitude: b.Longitude,
    name: b.Name,
    address: b.Address,
  }))
  sendRoute('/chat/send/contact', 'Send a contact card (vCard)', S.SendContact, (b) => ({
    kind: 'contact',
    name: b.Name,
    vcard: b.Vcard,
  }))
  sendRoute('/chat/send/event', 'Send an event invitation', S.SendEvent, (b) => ({
    kind: 'event',
    name: b.Name,
    description: b.Description,
    startTime: b.StartTime,
    endTime: b.EndTime,
    location: b.Location,
  }))

  sendRoute('/chat/send/list', 'Send a list message (a menu of rows in sections)', I.SendList, listContent)
  sendRoute(
    '/chat/send/buttons',
    'Send interactive buttons: quick reply, URL, call, copy, PIX, review and pay; optional media header',
    I.SendButtons,
    buttonsContent,
  )
  sendRoute('/chat/send/carousel', 'Send a carousel of cards with buttons', I.SendCarousel, carouselContent)
  sendRoute('/chat/send/flow', 'Send a native WhatsApp Flow message', I.SendFlow, flowContent)
  sendRoute(
    '/chat/send/template',
    'Send a template message with buttons (wuzapi)',
    I.SendTemplate,
    templateContent,
  )

  app.post(
    '/chat/send/poll',
    {
      schema: {
        tags,
        security,
        summary: 'Send a poll to a group (Group) or a person (Phone)',
        body: S.SendPoll,
        response: { 200: Envelope(S.Sent), ...errorResponses, ...refusals },
      },
    },
    async (req) => {
      const b = req.body
      const to = b.Group ?? b.Phone ?? ''
      const content = {
        kind: 'poll' as const,
        question: b.Header,
        options: b.Options,
        selectable: b.MaxAnswer ?? 1,
      }
      return ok(
        toSent(
          await messages.send(req.user!.id, { ...sendOptions({ ...b, Phone: to }), content }),
          'Poll sent successfully',
        ),
      )
    },
  )

  app.post(
    '/chat/send/edit',
    {
      schema: {
        tags,
        security,
        summary: 'Edit a message you sent (WhatsApp allows 15 minutes)',
        body: S.SendEdit,
        response: { 200: Envelope(S.Sent), ...errorResponses, ...refusals },
      },
    },
    async (req) => {
      const target = await messages.refOf(req.user!.id, req.body.Phone, req.body.Id, { fromMe: true })
      const sent = await messages.send(req.user!.id, {
        to: req.body.Phone,
        content: { kind: 'edit', target, text: req.body.Body },
      })
      return ok(toSent({ ...sent, id: req.body.Id }, 'Message edited successfully'))
    },
  )

  app.post(
    '/chat/react',
    {
      schema: {
        tags,
        security,
        summary: 'React to a message (`me:<id>` for your own); an empty Body removes the reaction',
        body: S.React,
        response: { 200: Envelope(S.Sent), ...errorResponses, ...refusals },
      },
    },
    async (req) => {
      const mine = req.body.Id.startsWith('me:')
      const id = mine ? req.body.Id.slice(3) : req.body.Id
      const hint = { fromMe: mine, ...(req.body.Participant ? { participant: req.body.Participant } : {}) }
      const target = await messages.refOf(req.user!.id, req.body.Phone, id, hint)
      const content = { kind: 'reaction' as const, target, emoji: req.body.Body }
      return ok(toSent(await messages.send(req.user!.id, { to: req.body.Phone, content })))
    },
  )

  app.post(
    '/chat/delete',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a message for everyone',
        body: S.DeleteMessage,
        response: { 200: Envelope(Type.Object({ Details: Type.String() })), ...errorResponses, ...refusals },
      },
    },
    async (req) => {
      const target = await messages.refOf(req.user!.id, req.body.Phone, req.body.Id, { fromMe: true })
      await messages.send(req.user!.id, { to: req.body.Phone, content: { kind: 'revoke', target } })
      return ok({ Details: 'Message deleted' })
    },
  )

  app.post(
    '/chat/markread',
    {
      schema: {
        tags,
        security,
        summary: 'Mark messages as read (blue ticks)',
        body: S.MarkRead,
        response: { 200: Envelope(Type.Object({ Details: Type.String() })), ...errorResponses, ...refusals },
      },
    },
    async (req) => {
      const ids = Array.isArray(req.body.Id) ? req.body.Id : [req.body.Id]
      await messages.markRead(req.user!.id, req.body.Chat, ids, req.body.Sender || undefined)
      return ok({ Details: 'Message(s) marked as read' })
    },
  )

  app.post(
    '/chat/request-unavailable-message',
    {
      schema: {
        tags,
        security,
        summary: 'Ask the phone for a message this session missed or could not decrypt',
        description:
          'The phone sends the message again; it arrives later as a `Message` event (and in the history). `RequestId` is empty when it had already been asked for or has arrived meanwhile.',
        body: S.RequestUnavailable,
        response: {
          200: Envelope(Type.Object({ Details: Type.String(), Id: Type.String(), RequestId: Type.String() })),
          ...errorResponses,
          ...refusals,
        },
      },
    },
    async (req) => {
      const { Chat, Id, Sender } = req.body
      const requestId = await messages.requestFromPhone(req.user!.id, Chat, Id, Sender || undefined)
      return ok({ Details: 'Unavailable message requested', Id, RequestId: requestId })
    },
  )

  app.post(
    '/chat/presence',
    {
      schema: {
        tags,
        security,
        summary: 'Show typing or recording in a chat',
        body: S.ChatPresence,
        response: { 200: Envelope(Type.Object({ Details: Type.String() })), ...errorResponses, ...refusals },
      },
    },
    async (req) => {
      const state =
        req.body.Media === 'audio' && req.body.State === 'composing' ? 'recording' : req.body.State
      await messages.chatPresence(req.user!.id, req.body.Phone, state)
      return ok({ Details: 'Chat presence set successfuly' })
    },
  )

  for (const kind of ['image', 'video', 'audio', 'document', 'sticker'] as const) {
    app.post(
      `/chat/download${kind}`,
      {
        schema: {
          tags,
          security,
          summary: `Download and decrypt a received ${kind} (a data URL)`,
          body: S.DownloadBody,
          response: { 200: Envelope(S.Downloaded), ...errorResponses, ...refusals },
        },
      },
      async (req) => {
        const b = req.body
        const media = { url: b.Url, directPath: b.DirectPath, mediaKey: b.MediaKey, fileSha256: b.FileSHA256 }
        const retry = b.Id ? { id: b.Id, chat: b.Chat } : undefined
        const data = await messages.download(req.user!.id, kind, media, retry)
        return ok({ Data: `data:${b.Mimetype};base64,${data.toString('base64')}`, Mimetype: b.Mimetype })
      },
    )
  }

  app.get(
    '/chat/list',
    {
      schema: {
        tags,
        security,
        summary: 'Your chats (pinned first, then the most recent), from the chat store',
        response: {
          200: Type.Object({
            success: Type.Boolean(),
            chats: Type.Array(
              Type.Object({
                chat_jid: Type.String(),
                phone_number: Type.String(),
                muted_until: Type.Integer(),
                pinned: Type.Boolean(),
                archived: Type.Boolean(),
                lid: Type.String(),
                name: Type.String(),
                unread_count: Type.Integer(),
                last_message_at: Type.Integer(),
              }),
            ),
            stats: Type.Object({
              total: Type.Integer(),
              pinned_count: Type.Integer(),
              archived_count: Type.Integer(),
              muted_count: Type.Integer(),
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => toChatList(await chats.chats(req.user!.id), Math.floor(Date.now() / 1000)),
  )

  app.get(
    '/chat/history',
    {
      schema: {
        tags,
        security,
        summary: 'A chat’s stored messages, newest first (501 when the user’s history is 0)',
        querystring: S.HistoryQuery,
        response: { 200: Envelope(Type.Array(S.HistoryItem)), ...errorResponses, 404: ref, 501: ref },
      },
    },
    async (req) => {
      const { chat_jid, limit, before } = req.query
      const list = await chats.history(req.user!, chat_jid, limit ?? 50, before)
      return ok(list.map(toHistoryItem))
    },
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { errorResponses } from './envelope.js'
import { toLinkedDevice, toUserDevicesAnswer } from './extras.mapper.js'
import {
  Bool,
  Int,
  ref,
  responses,
  Str,
  security,
  UserDevicesAnswer,
  UserDevicesBody,
} from './extras.schemas.js'

const deviceTags = { tags: ['Device'], security }

/** Devices: /device/users, /device/users/context, /device/linked, /device/platform. */
export const devicesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { extras } = services

  app.post(
    '/device/users',
    {
      schema: {
        ...deviceTags,
        summary: 'The devices of users (0 is the phone)',
        body: UserDevicesBody,
        response: responses(UserDevicesAnswer()),
      },
    },
    async (req) => toUserDevicesAnswer(await extras.userDevices(req.user!.id, req.body.jids)),
  )

  app.post(
    '/device/users/context',
    {
      schema: {
        ...deviceTags,
        summary: 'The devices of users, or 408 when WhatsApp does not answer within 10 s',
        body: UserDevicesBody,
        response: responses(UserDevicesAnswer({ timeout_used: Bool }), { 408: ref }),
      },
    },
    async (req) => ({
      ...toUserDevicesAnswer(await extras.userDevicesWithin(req.user!.id, req.body.jids)),
      timeout_used: false,
    }),
  )

  app.get(
    '/device/linked',
    {
      schema: {
        ...deviceTags,
        summary: 'The devices linked to your account (this one is `connected`)',
        response: responses(
          Type.Object({
            success: Bool,
            linked_devices: Type.Array(Type.Object({ device_id: Int, platform: Str(), connected: Bool })),
            count: Int,
          }),
        ),
      },
    },
    async (req) => {
      const linked_devices = (await extras.linkedDevices(req.user!.id)).map(toLinkedDevice)
      return { success: true, linked_devices, count: linked_devices.length }
    },
  )

  app.post(
    '/device/platform',
    {
      schema: {
        ...deviceTags,
        summary: 'The platform name of a device number (0: the phone)',
        body: Type.Object({
          device_id: Type.Integer({ minimum: 0, maximum: 65535, 'x-aliases': ['device'] }),
        }),
        response: { 200: Type.Object({ success: Bool, device_id: Int, platform: Str() }), ...errorResponses },
      },
    },
    async (req) => ({
      success: true,
      device_id: req.body.device_id,
      platform: extras.devicePlatform(req.body.device_id),
    }),
  )
}

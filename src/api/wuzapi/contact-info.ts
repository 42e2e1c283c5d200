import { type Static, Type } from '@sinclair/typebox'
import type { ChatsService } from '../../services/chats.service.js'

export const ContactInfoBody = Type.Object({
  phone: Type.String({
    minLength: 1,
    description: 'A phone number, a user JID or a LID',
    'x-aliases': ['jid', 'lid'],
  }),
})

const Str = Type.String()
/** DIGIGO's merged contact info. */
export const ContactInfo = Type.Object({
  phone: Str,
  jid: Str,
  input_type: Type.Union([Type.Literal('phone'), Type.Literal('jid'), Type.Literal('lid')]),
  is_on_whatsapp: Type.Boolean(),
  verified_name: Str,
  lid: Str,
  devices: Type.Array(Str),
  user_info: Type.Object({
    status: Str,
    picture_id: Str,
    verified_name: Str,
    is_business_account: Type.Boolean(),
    device_count: Type.Integer(),
  }),
  avatar: Type.Union([Type.Object({ url: Str, id: Str, type: Str, direct_path: Str }), Type.Null()]),
  contact_names: Type.Object({ first_name: Str, full_name: Str, push_name: Str, business_name: Str }),
  business_profile: Type.Union([
    Type.Object({
      address: Str,
      email: Str,
      description: Str,
      website: Type.Array(Str),
      business_hours_timezone: Str,
      categories: Type.Array(Type.Object({ id: Str, name: Str })),
      business_hours: Type.Array(
        Type.Object({
          day_of_week: Str,
          mode: Str,
          open_time: Type.Optional(Type.Integer()),
          close_time: Type.Optional(Type.Integer()),
        }),
      ),
    }),
    Type.Null(),
  ]),
})

type Info = Awaited<ReturnType<ChatsService['contactInfo']>>

export function toContactInfo(c: Info): Static<typeof ContactInfo> {
  const verified = c.names.businessName
  return {
    phone: c.phone,
    jid: c.jid,
    input_type: c.inputType,
    is_on_whatsapp: c.onWhatsApp,
    verified_name: verified,
    lid: c.lid,
    devices: c.devices,
    user_info: {
      status: c.about?.text ?? '',
      picture_id: c.picture ? (c.picture.directPath.split('/').pop() ?? '') : '',
      verified_name: verified,
      is_business_account: c.business !== undefined,
      device_count: c.devices.length,
    },
    avatar: c.picture
      ? {
          url: c.picture.url,
          id: c.picture.directPath.split('/').pop() ?? '',
          type: 'preview',
          direct_path: c.picture.directPath,
        }
      : null,
    contact_names: {
      first_name: c.names.firstName,
      full_name: c.names.fullName,
      push_name: c.names.pushName,
      business_name: c.names.businessName,
    },
    business_profile: c.business
      ? {
          address: c.business.address,
          email: c.business.email,
          description: c.business.description,
          website: c.business.website,
          business_hours_timezone: c.business.timezone,
          categories: c.business.category ? [{ id: '', name: c.business.category }] : [],
          business_hours: c.business.hours.map((h) => ({
            day_of_week: h.day,
            mode: h.mode,
            ...(h.openTime !== undefined ? { open_time: h.openTime } : {}),
            ...(h.closeTime !== undefined ? { close_time: h.closeTime } : {}),
          })),
        }
      : null,
  }
}

import { type TSchema, Type } from '@sinclair/typebox'

/** `{"code":200,"data":…,"success":true}`: the wuzapi family's success shape. */
export const Envelope = <T extends TSchema>(data: T, extra: Record<string, TSchema> = {}) =>
  Type.Object({
    code: Type.Integer({ examples: [200] }),
    data,
    success: Type.Literal(true),
    ...extra,
  })

/** `{"code":4xx,"error":"…","success":false}`; 5xx bodies add the request id. */
export const ErrorBody = Type.Object(
  {
    code: Type.Integer(),
    error: Type.String(),
    success: Type.Literal(false),
    request_id: Type.Optional(Type.String()),
    whatsapp_code: Type.Optional(
      Type.Integer({ description: 'WhatsApp’s own error code, when WhatsApp refused' }),
    ),
  },
  { $id: 'WuzapiError', description: 'Error envelope' },
)

export const ok = <T>(data: T, code = 200) => ({ code, data, success: true as const })

/** The error responses every authenticated wuzapi route can give. */
export const errorResponses = {
  400: Type.Ref('WuzapiError'),
  401: Type.Ref('WuzapiError'),
  413: Type.Ref('WuzapiError'),
  415: Type.Ref('WuzapiError'),
  500: Type.Ref('WuzapiError'),
}

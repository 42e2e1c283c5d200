import { type TObject, type TProperties, Type } from '@sinclair/typebox'

/** `{error: false, message, …fields}`: Mega-api's success shape. */
export const MegaOk = <P extends TProperties>(fields: P = {} as P): TObject<P & typeof base> =>
  Type.Object({ ...base, ...fields }) as TObject<P & typeof base>

const base = {
  error: Type.Boolean({ description: 'false: it worked' }),
  message: Type.String(),
}

/** `{error: true, message}`: every refusal. */
export const MegaError = Type.Object(
  {
    error: Type.Literal(true),
    message: Type.String(),
    detail: Type.Optional(Type.String({ description: 'Zapwire: the reason behind a documented message' })),
    whatsapp_code: Type.Optional(
      Type.Integer({ description: 'WhatsApp’s own error code, when WhatsApp refused' }),
    ),
    request_id: Type.Optional(Type.String()),
  },
  { $id: 'MegaapiError', description: 'Mega-api error body' },
)

export const ok = <T extends object>(message: string, fields: T = {} as T) => ({
  error: false as const,
  message,
  ...fields,
})

/** The refusals every Mega-api route can give (401: not connected or wrong token; 403: not on WhatsApp). */
export const megaErrors = {
  400: Type.Ref('MegaapiError'),
  401: Type.Ref('MegaapiError'),
  403: Type.Ref('MegaapiError'),
  404: Type.Ref('MegaapiError'),
  500: Type.Ref('MegaapiError'),
}

/** The instance key in the path. */
export const InstanceParams = Type.Object({
  instance_key: Type.String({
    minLength: 1,
    description: 'The instance key (the Zapwire user’s `instanceKey`, or its id)',
  }),
})

export const tags = (name: string) => [`Mega-api ${name}`]
export const security = [{ BearerAuth: [] }]

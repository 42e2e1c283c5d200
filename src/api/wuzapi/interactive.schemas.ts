import { Type } from '@sinclair/typebox'

const Phone = Type.String({ minLength: 1, 'x-aliases': ['number', 'jid'] })
const common = {
  Phone,
  Id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  Presence: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000 })),
  Duration: Type.Optional(Type.Integer({ minimum: 0 })),
  NumberCheck: Type.Optional(Type.Boolean()),
  EchoApi: Type.Optional(Type.Boolean()),
  ContextInfo: Type.Optional(
    Type.Object({ StanzaId: Type.Optional(Type.String()), Participant: Type.Optional(Type.String()) }),
  ),
}

export const SendList = Type.Object({
  ...common,
  Text: Type.String({ minLength: 1, maxLength: 1024, 'x-aliases': ['Body', 'description'] }),
  ButtonText: Type.String({ minLength: 1, maxLength: 20 }),
  Title: Type.Optional(Type.String({ maxLength: 60 })),
  Footer: Type.Optional(Type.String({ maxLength: 60 })),
  Sections: Type.Array(
    Type.Object({
      Title: Type.String({ maxLength: 24 }),
      Rows: Type.Array(
        Type.Object({
          RowId: Type.String({ minLength: 1, 'x-aliases': ['id'] }),
          Title: Type.String({ minLength: 1, maxLength: 24 }),
          Description: Type.Optional(Type.String({ maxLength: 72 })),
        }),
        { minItems: 1, maxItems: 10 },
      ),
    }),
    { minItems: 1, maxItems: 10 },
  ),
})

const MediaRef = Type.Object({ url: Type.String({ minLength: 1 }) })

export const BUTTON_TYPES = [
  'quick_reply',
  'reply',
  'url',
  'cta_url',
  'call',
  'cta_call',
  'copy',
  'cta_copy',
  'pix',
  'pix_payment',
  'payment_info',
  'review_and_pay',
] as const

export const SendButtons = Type.Object({
  ...common,
  Buttons: Type.Array(
    Type.Object({
      ButtonId: Type.Optional(Type.String({ 'x-aliases': ['id'] })),
      ButtonText: Type.Optional(Type.Object({ DisplayText: Type.String({ minLength: 1 }) })),
      Type: Type.Optional(
        Type.Unsafe<(typeof BUTTON_TYPES)[number]>({ type: 'string', enum: [...BUTTON_TYPES] }),
      ),
      Url: Type.Optional(Type.String()),
      MerchantUrl: Type.Optional(Type.String()),
      Phone: Type.Optional(Type.String()),
      Code: Type.Optional(Type.String()),
      PixKey: Type.Optional(Type.String()),
      MerchantName: Type.Optional(Type.String()),
      PixType: Type.Optional(
        Type.Union(['PHONE', 'EMAIL', 'CPF', 'CNPJ', 'EVP'].map((t) => Type.Literal(t))),
      ),
      Currency: Type.Optional(Type.String()),
      TotalValue: Type.Optional(Type.Integer()),
      TotalOffset: Type.Optional(Type.Integer()),
      ReferenceId: Type.Optional(Type.String()),
      Items: Type.Optional(
        Type.Array(
          Type.Object({
            Name: Type.String(),
            Quantity: Type.Integer({ minimum: 1 }),
            AmountValue: Type.Integer(),
            AmountOffset: Type.Optional(Type.Integer()),
          }),
        ),
      ),
    }),
    { minItems: 1, maxItems: 10 },
  ),
  Title: Type.Optional(Type.String()),
  Body: Type.Optional(Type.String({ 'x-aliases': ['text'] })),
  Footer: Type.Optional(Type.String()),
  Caption: Type.Optional(Type.String()),
  Image: Type.Optional(MediaRef),
  Video: Type.Optional(MediaRef),
  Document: Type.Optional(MediaRef),
})

export const SendCarousel = Type.Object({
  ...common,
  Message: Type.String({ minLength: 1, 'x-aliases': ['text', 'Body'] }),
  Carousel: Type.Array(
    Type.Object({
      Text: Type.String({ minLength: 1, 'x-aliases': ['body'] }),
      Header: Type.Optional(Type.String()),
      Footer: Type.Optional(Type.String()),
      MediaUrl: Type.Optional(Type.String({ 'x-aliases': ['image', 'video', 'document'] })),
      MediaType: Type.Optional(
        Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('document')]),
      ),
      Filename: Type.Optional(Type.String()),
      Caption: Type.Optional(Type.String()),
      Buttons: Type.Array(
        Type.Object({
          Label: Type.String({ minLength: 1, 'x-aliases': ['display_text'] }),
          Type: Type.Union(['reply', 'url', 'copy', 'call'].map((t) => Type.Literal(t))),
          Id: Type.Optional(Type.String()),
          Url: Type.Optional(Type.String()),
        }),
        { minItems: 1, maxItems: 3 },
      ),
    }),
    { minItems: 1, maxItems: 10, 'x-aliases': ['cards'] },
  ),
})

export const SendFlow = Type.Object({
  ...common,
  Body: Type.Optional(Type.String({ 'x-aliases': ['text', 'message'] })),
  Footer: Type.Optional(Type.String()),
  Caption: Type.Optional(Type.String()),
  Header: Type.Optional(
    Type.Object({ Title: Type.Optional(Type.String()), Subtitle: Type.Optional(Type.String()) }),
  ),
  Buttons: Type.Array(
    Type.Object({
      Name: Type.String({ minLength: 1 }),
      ButtonParams: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      ButtonParamsJSON: Type.Optional(Type.String()),
    }),
    { minItems: 1, maxItems: 10 },
  ),
})

export const SendTemplate = Type.Object({
  ...common,
  Content: Type.String({ minLength: 1, 'x-aliases': ['text', 'Body'] }),
  Footer: Type.Optional(Type.String()),
  Buttons: Type.Array(
    Type.Object({
      DisplayText: Type.String({ minLength: 1 }),
      Type: Type.Union([Type.Literal('quickreply'), Type.Literal('url'), Type.Literal('call')]),
      Id: Type.Optional(Type.String()),
      Url: Type.Optional(Type.String()),
      PhoneNumber: Type.Optional(Type.String()),
    }),
    { minItems: 1, maxItems: 5 },
  ),
})

import type { Static } from '@sinclair/typebox'
import { validation } from '../../services/errors.js'
import type { ContentRequest, InteractiveRequest, NativeButton } from '../../services/messages.service.js'
import type { SendButtons, SendCarousel, SendFlow, SendList, SendTemplate } from './interactive.schemas.js'

type Button = Static<typeof SendButtons>['Buttons'][number]

const need = (value: string | undefined, what: string): string => {
  if (!value) throw validation(`${what} is required`)
  return value
}

/** What every payment button carries: currency, total and a reference. */
const payment = (b: Button, id: string) => ({
  currency: b.Currency ?? 'BRL',
  total_amount: { value: b.TotalValue ?? 0, offset: b.TotalOffset ?? 100 },
  reference_id: b.ReferenceId ?? id,
  type: 'physical-goods',
})

/** One of DIGIGO's button types → a native-flow button. */
export function nativeButton(b: Button, index: number): NativeButton {
  const text = b.ButtonText?.DisplayText ?? ''
  const id = b.ButtonId ?? `btn_${index + 1}`
  switch (b.Type ?? 'quick_reply') {
    case 'quick_reply':
    case 'reply':
      return { name: 'quick_reply', params: { display_text: need(text, 'buttonText.displayText'), id } }
    case 'url':
    case 'cta_url':
      return {
        name: 'cta_url',
        params: {
          display_text: need(text, 'buttonText.displayText'),
          url: need(b.Url, 'url'),
          merchant_url: b.MerchantUrl ?? b.Url,
        },
      }
    case 'call':
    case 'cta_call':
      return {
        name: 'cta_call',
        params: { display_text: need(text, 'buttonText.displayText'), phone_number: need(b.Phone, 'phone') },
      }
    case 'copy':
    case 'cta_copy':
      return {
        name: 'cta_copy',
        params: { display_text: need(text, 'buttonText.displayText'), id, copy_code: need(b.Code, 'code') },
      }
    case 'pix':
    case 'pix_payment':
    case 'payment_info':
      return {
        name: 'payment_info',
        params: {
          ...payment(b, id),
          order: { status: 'pending', subtotal: { value: 0, offset: 100 }, order_type: 'ORDER', items: [] },
          payment_settings: [
            {
              type: 'pix_static_code',
              pix_static_code: {
                key: need(b.PixKey, 'pix_key'),
                merchant_name: b.MerchantName ?? '',
                key_type: b.PixType ?? 'EVP',
              },
            },
          ],
          share_payment_status: false,
        },
      }
    case 'review_and_pay': {
      const items = b.Items ?? []
      if (items.length === 0) throw validation('items are required for review_and_pay')
      return {
        name: 'review_and_pay',
        params: {
          ...payment(b, id),
          order: {
            status: 'payment_requested',
            order_type: 'ORDER',
            items: items.map((i) => ({
              name: i.Name,
              quantity: i.Quantity,
              amount: { value: i.AmountValue, offset: i.AmountOffset ?? 100 },
            })),
          },
        },
      }
    }
  }
}

export function listContent(b: Static<typeof SendList>): ContentRequest {
  return {
    kind: 'list',
    title: b.Title,
    text: b.Text,
    buttonText: b.ButtonText,
    footer: b.Footer,
    sections: b.Sections.map((s) => ({
      title: s.Title,
      rows: s.Rows.map((r) => ({ id: r.RowId, title: r.Title, description: r.Description })),
    })),
  }
}

export function buttonsContent(b: Static<typeof SendButtons>): ContentRequest {
  const media = b.Image
    ? ('image' as const)
    : b.Video
      ? ('video' as const)
      : b.Document
        ? ('document' as const)
        : undefined
  const source = b.Image?.url ?? b.Video?.url ?? b.Document?.url
  const body = b.Body ?? b.Caption ?? ''
  if (!body && !b.Title) throw validation('body (or text) is required')
  return {
    kind: 'interactive',
    body,
    footer: b.Footer,
    title: b.Title,
    header: media && source ? { type: media, source } : undefined,
    buttons: b.Buttons.map(nativeButton),
  } satisfies InteractiveRequest
}

const CAROUSEL_BUTTON: Record<string, string> = {
  reply: 'quick_reply',
  url: 'cta_url',
  copy: 'cta_copy',
  call: 'cta_call',
}

export function carouselContent(b: Static<typeof SendCarousel>): ContentRequest {
  return {
    kind: 'interactive',
    body: b.Message,
    buttons: [],
    cards: b.Carousel.map((c, card) => ({
      body: c.Text,
      footer: c.Footer,
      title: c.Header,
      header: c.MediaUrl
        ? { type: c.MediaType ?? 'image', source: c.MediaUrl, fileName: c.Filename }
        : undefined,
      buttons: c.Buttons.map((btn, i) => {
        const id = btn.Id ?? `card${card + 1}_btn${i + 1}`
        const params: Record<string, unknown> = { display_text: btn.Label, id }
        if (btn.Type === 'url') params.url = need(btn.Url, 'Url')
        if (btn.Type === 'copy') params.copy_code = need(btn.Id ?? btn.Url, 'Id (the code to copy)')
        if (btn.Type === 'call') params.phone_number = need(btn.Url ?? btn.Id, 'Url (the phone number)')
        return { name: CAROUSEL_BUTTON[btn.Type]!, params }
      }),
    })),
  }
}

export function flowContent(b: Static<typeof SendFlow>): ContentRequest {
  const body = b.Body ?? b.Caption
  if (!body) throw validation('Body (or Text or Message) is required')
  return {
    kind: 'interactive',
    body,
    footer: b.Footer,
    title: b.Header?.Title,
    buttons: b.Buttons.map((btn) => {
      let params = btn.ButtonParams ?? {}
      if (btn.ButtonParamsJSON) {
        try {
          params = JSON.parse(btn.ButtonParamsJSON) as Record<string, unknown>
        } catch {
          throw validation('ButtonParamsJSON is not valid JSON')
        }
      }
      return { name: btn.Name, params }
    }),
  }
}

export function templateContent(b: Static<typeof SendTemplate>): ContentRequest {
  return {
    kind: 'template',
    text: b.Content,
    footer: b.Footer,
    buttons: b.Buttons.map((btn, i) =>
      btn.Type === 'quickreply'
        ? { type: 'quickreply' as const, text: btn.DisplayText, id: btn.Id ?? `btn_${i + 1}` }
        : btn.Type === 'url'
          ? { type: 'url' as const, text: btn.DisplayText, url: need(btn.Url, 'Url') }
          : { type: 'call' as const, text: btn.DisplayText, phone: need(btn.PhoneNumber, 'PhoneNumber') },
    ),
  }
}

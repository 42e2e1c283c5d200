import { ApiError, data } from './api.js'
import { checkbox, field, h, input } from './dom.js'
import { adminCred, type Ctx, instanceCred } from './scope.js'

/** DIGIGO's admin read view of a user (the fields the form edits). */
interface UserView {
  id: string
  name: string
  webhook: string
  events: string
  hmac_key: string
  echo_api_messages: boolean
  skip_media_download: boolean
  skip_groups: boolean
  skip_newsletters: boolean
  skip_broadcasts: boolean
  skip_own_messages: boolean
  skip_calls: boolean
  globalTransportSkips: Record<string, boolean>
  proxy_config: { enabled: boolean; proxy_url: string }
  s3_config: Record<string, string | number | boolean>
  rabbitmq_config: Record<string, unknown>
}

const SKIPS: [string, string, keyof UserView][] = [
  ['skipMediaDownload', 'Skip media download', 'skip_media_download'],
  ['skipGroups', 'Skip group messages', 'skip_groups'],
  ['skipNewsletters', 'Skip newsletters', 'skip_newsletters'],
  ['skipBroadcasts', 'Skip broadcasts and status', 'skip_broadcasts'],
  ['skipOwnMessages', 'Skip own messages', 'skip_own_messages'],
  ['skipCalls', 'Skip calls', 'skip_calls'],
]
const GLOBAL_SKIPS: [string, string][] = [
  ['skipGlobalWebhook', 'global webhook'],
  ['skipGlobalRabbitMQ', 'global RabbitMQ'],
  ['skipGlobalSQS', 'global SQS'],
  ['skipGlobalRedis', 'global Redis'],
  ['skipGlobalWebSocket', 'global WebSocket'],
  ['skipGlobalS3', 'global S3'],
]

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v))

/** The settings form: create (no user) or edit (admin: every setting; a user token: its webhook). */
function settingsForm(ctx: Ctx, user: UserView | undefined, onSaved: (id: string) => void): HTMLFormElement {
  const admin = ctx.auth.role === 'admin'
  const c: Record<string, HTMLInputElement | HTMLSelectElement> = {}
  const text = (
    key: string,
    label: string,
    value: string,
    attrs: Record<string, string | boolean> = {},
    hint?: string,
  ) => {
    c[key] = input({ name: key, value, ...attrs })
    return field(label, c[key]!, hint)
  }
  const check = (key: string, label: string, value: boolean) => {
    c[key] = checkbox(key, value)
    return field(label, c[key]!)
  }
  const s3 = user?.s3_config ?? {}
  const rabbit = user?.rabbitmq_config ?? {}
  const delivery = h(
    'select',
    { name: 's3.media_delivery' },
    ['base64', 's3', 'both'].map((v) => h('option', { value: v }, v)),
  )
  delivery.value = str(s3.media_delivery) || 'base64'
  c['s3.media_delivery'] = delivery
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' })
  const fieldsets = [
    h(
      'fieldset',
      {},
      h('legend', {}, 'Instance'),
      admin ? text('name', 'Name', user?.name ?? '', { required: true, autocomplete: 'off' }) : null,
      !user && admin
        ? text(
            'token',
            'Token (optional)',
            '',
            { autocomplete: 'off' },
            'Generated when left empty; at least 8 characters.',
          )
        : null,
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Webhook'),
      text('webhook', 'Webhook URL', user?.webhook ?? '', {
        type: 'url',
        placeholder: 'https://example.com/hook',
      }),
      text(
        'events',
        'Events',
        user?.events || 'All',
        {},
        'All, or a comma-separated list such as Message,ReadReceipt.',
      ),
      text(
        'hmacKey',
        'HMAC key',
        '',
        { type: 'password', autocomplete: 'new-password' },
        user?.hmac_key
          ? 'A key is set: leave empty to keep it.'
          : 'At least 32 characters; signs every webhook call.',
      ),
      admin
        ? check('echoApiMessages', 'Echo API sends as Message events', user?.echo_api_messages ?? false)
        : null,
    ),
  ]
  if (admin) {
    fieldsets.push(
      h(
        'fieldset',
        {},
        h('legend', {}, 'Skip'),
        SKIPS.map(([key, label, view]) => check(key, label, Boolean(user?.[view]))),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Global transports this instance skips'),
        GLOBAL_SKIPS.map(([key, label]) =>
          check(`gts.${key}`, `Skip the ${label}`, Boolean(user?.globalTransportSkips?.[key])),
        ),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Proxy'),
        check('proxy.enabled', 'Use a proxy', user?.proxy_config.enabled ?? false),
        text('proxy.url', 'Proxy URL', user?.proxy_config.proxy_url ?? '', {
          placeholder: 'http://user:pass@host:3128',
        }),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'S3 (media in events)'),
        check('s3.enabled', 'Upload media to S3', Boolean(s3.enabled)),
        text('s3.endpoint', 'S3 endpoint', str(s3.endpoint)),
        text('s3.region', 'S3 region', str(s3.region)),
        text('s3.bucket', 'S3 bucket', str(s3.bucket)),
        text('s3.access_key', 'S3 access key', str(s3.access_key), { autocomplete: 'off' }),
        text(
          's3.secret_key',
          'S3 secret key',
          '',
          { type: 'password', autocomplete: 'new-password' },
          'Leave empty to keep the stored one.',
        ),
        check('s3.path_style', 'Path-style addresses', Boolean(s3.path_style)),
        text('s3.public_url', 'Public URL', str(s3.public_url)),
        field('Media delivery', delivery),
        text('s3.retention_days', 'Retention (days, 0 = keep)', str(s3.retention_days ?? 0), {
          type: 'number',
          min: '0',
        }),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'RabbitMQ'),
        check('rabbit.enabled', 'Publish events to RabbitMQ', Boolean(rabbit.enabled)),
        text('rabbit.url', 'AMQP URL', str(rabbit.url), { placeholder: 'amqp://user:pass@host:5672/' }),
        text('rabbit.exchange', 'Exchange', str(rabbit.exchange)),
        text('rabbit.queue', 'Queue', str(rabbit.queue), {}, 'Default user_{user_id}_event_{event_type}.'),
      ),
    )
  }
  const v = (key: string) => c[key]!.value.trim()
  const b = (key: string) => (c[key] as HTMLInputElement).checked
  const form = h(
    'form',
    { class: 'settings', 'aria-label': user ? 'Instance settings' : 'New instance' },
    fieldsets,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, user ? 'Save settings' : 'Create instance'),
    ),
    status,
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    status.textContent = 'Saving…'
    try {
      if (!admin) {
        const as = await instanceCred(ctx.auth, user!.id)
        if (v('webhook'))
          await data('POST', 'webhook', { as, body: { webhook: v('webhook'), events: v('events') || 'All' } })
        else await data('DELETE', 'webhook', { as })
        if (v('hmacKey')) await data('POST', 'session/hmac/config', { as, body: { hmac_key: v('hmacKey') } })
        status.textContent = 'Saved.'
        onSaved(user!.id)
        return
      }
      const body: Record<string, unknown> = {
        name: v('name'),
        webhook: v('webhook'),
        events: v('events') || 'All',
        echoApiMessages: b('echoApiMessages'),
        ...Object.fromEntries(SKIPS.map(([key]) => [key, b(key)])),
        globalTransportSkips: Object.fromEntries(GLOBAL_SKIPS.map(([key]) => [key, b(`gts.${key}`)])),
        proxyConfig: { enabled: b('proxy.enabled'), proxyURL: v('proxy.url') },
        s3Config: {
          enabled: b('s3.enabled'),
          endpoint: v('s3.endpoint'),
          region: v('s3.region'),
          bucket: v('s3.bucket'),
          access_key: v('s3.access_key'),
          ...(v('s3.secret_key') ? { secret_key: v('s3.secret_key') } : {}),
          path_style: b('s3.path_style'),
          public_url: v('s3.public_url'),
          media_delivery: v('s3.media_delivery'),
          retention_days: Number(v('s3.retention_days') || 0),
        },
        rabbitmqConfig: {
          enabled: b('rabbit.enabled'),
          url: v('rabbit.url'),
          ...(v('rabbit.exchange') ? { exchange: v('rabbit.exchange') } : {}),
          ...(v('rabbit.queue') ? { queue: v('rabbit.queue') } : {}),
        },
      }
      if (v('hmacKey')) body.hmacKey = v('hmacKey')
      if (!user) {
        if (v('token')) body.token = v('token')
        const created = await data<{ id: string }>('POST', 'admin/users', { as: adminCred(ctx.auth), body })
        onSaved(created.id)
      } else {
        await data('PUT', `admin/users/${encodeURIComponent(user.id)}`, { as: adminCred(ctx.auth), body })
        status.textContent = 'Saved.'
        onSaved(user.id)
      }
    } catch (err) {
      status.textContent = `Not saved: ${err instanceof ApiError ? err.message : String(err)}`
      status.setAttribute('role', 'alert')
    }
  })
  return form
}

/** #/new: create an instance, then open it (pairing). */
export function createPage(ctx: Ctx): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'new-title' },
    h('h1', { id: 'new-title' }, 'New instance'),
    settingsForm(ctx, undefined, (id) => ctx.go(`#/i/${encodeURIComponent(id)}/overview`)),
  )
}

/** The settings tab of an instance. */
export function settingsTab(ctx: Ctx, id: string): HTMLElement {
  const box = h('div', {}, h('p', { class: 'muted' }, 'Loading…'))
  void (async () => {
    let user: UserView
    if (ctx.auth.role === 'admin') {
      user = (
        await data<UserView[]>('GET', `admin/users/${encodeURIComponent(id)}`, { as: adminCred(ctx.auth) })
      )[0]!
    } else {
      const as = await instanceCred(ctx.auth, id)
      const hook = await data<{ webhook: string; events: string[] | string }>('GET', 'webhook', { as })
      const hmac = await data<{ configured: boolean }>('GET', 'session/hmac/config', { as }).catch(() => ({
        configured: false,
      }))
      user = {
        id,
        webhook: hook.webhook,
        events: Array.isArray(hook.events) ? hook.events.join(',') : hook.events,
        hmac_key: hmac.configured ? '***' : '',
      } as UserView
    }
    box.replaceChildren(settingsForm(ctx, user, () => undefined))
    if (ctx.auth.role === 'user')
      box.append(
        h(
          'p',
          { class: 'muted' },
          'Signed in with the instance token: the admin changes the other settings.',
        ),
      )
  })().catch((err) =>
    box.replaceChildren(h('p', { class: 'error', role: 'alert' }, String((err as Error).message))),
  )
  return box
}

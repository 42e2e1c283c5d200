import { redactUrl } from '../../lib/redact.js'
import { validation } from '../../services/errors.js'
import type { User, UserInput, WhatsAppConfig } from '../../services/users.model.js'
import type { CreatedUserView, UpdateUserBody, UserView } from './users.schemas.js'

const MASK = '***'
const mask = (value: string) => (value ? MASK : '')

/** CreateUser's camelCase names → the snake_case of DIGIGO's read view. */
const WHATSAPP_SNAKE: Record<keyof WhatsAppConfig, string> = {
  waVersion: 'wa_version',
  waPlatform: 'wa_platform',
  waReleaseChannel: 'wa_release_channel',
  waWebSubPlatform: 'wa_web_sub_platform',
  waOSName: 'wa_os_name',
  waOSVersion: 'wa_os_version',
  waDeviceName: 'wa_device_name',
  waManufacturer: 'wa_manufacturer',
  waDeviceBoard: 'wa_device_board',
  waLocaleLanguage: 'wa_locale_language',
  waLocaleCountry: 'wa_locale_country',
  waMCC: 'wa_mcc',
  waMNC: 'wa_mnc',
  waConnectType: 'wa_connect_type',
  waPlatformType: 'wa_platform_type',
}

/** Wire input → domain input. Secrets sent back as "***" (read from a view) are left unchanged. */
export function toUserInput(body: UpdateUserBody): UserInput {
  const { proxyConfig, s3Config, rabbitmqConfig, hmacKey, ...rest } = body
  const input: UserInput = { ...rest, ...unmasked({ hmacKey }) }
  if (proxyConfig) {
    input.proxyConfig = unmasked({
      enabled: proxyConfig.enabled,
      url: proxyConfig.proxyURL,
      bypass: proxyConfig.bypass,
    })
  }
  if (s3Config) input.s3Config = unmasked(s3Config)
  if (rabbitmqConfig) {
    const { queue_arguments, exchange_arguments, events, ...plain } = rabbitmqConfig
    input.rabbitmqConfig = unmasked({
      ...plain,
      ...(events !== undefined ? { events: Array.isArray(events) ? events.join(',') : events } : {}),
      ...(queue_arguments !== undefined ? { queue_arguments: asObject(queue_arguments) } : {}),
      ...(exchange_arguments !== undefined ? { exchange_arguments: asObject(exchange_arguments) } : {}),
    })
  }
  return input
}

/** DIGIGO's admin read view of a user. */
export function toUserView(user: User): UserView {
  const { settings: s, secrets } = user
  const { secret_key: _secret, ...s3 } = secrets.s3
  return {
    id: user.id,
    serial: user.serial,
    name: user.name,
    avatar_url: '',
    token: user.token,
    instanceKey: user.instanceKey || user.id,
    webhook: redactUrl(s.webhook),
    jid: user.jid,
    lid: user.lid,
    qrcode: '',
    connected: false,
    loggedIn: false,
    expiration: user.expiration,
    events: s.events.join(','),
    history: user.history,
    hmac_key: mask(secrets.hmacKey),
    skip_media_download: s.skipMediaDownload,
    skip_groups: s.skipGroups,
    skip_newsletters: s.skipNewsletters,
    skip_broadcasts: s.skipBroadcasts,
    skip_own_messages: s.skipOwnMessages,
    skip_calls: s.skipCalls,
    call_reject_message: s.callRejectMessage,
    call_reject_type: s.callRejectType,
    echo_api_messages: s.echoApiMessages,
    enableAutoReconnect: s.autoReconnect,
    isFromAPI: s.echoApiMessages,
    globalTransportSkips: s.globalTransportSkips,
    proxy_config: { enabled: secrets.proxy.enabled, proxy_url: redactUrl(secrets.proxy.url) },
    s3_config: { ...s3, access_key: mask(s3.access_key) },
    rabbitmq_config: rabbitView(user),
    whatsapp_config: Object.fromEntries(
      Object.entries(s.whatsappConfig).map(([k, v]) => [
        WHATSAPP_SNAKE[k as keyof WhatsAppConfig] ?? k,
        String(v),
      ]),
    ),
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  }
}

/** DIGIGO's 201 echo of a created user, in CreateUser's camelCase. */
export function toCreatedUserView(user: User): CreatedUserView {
  const { settings: s, secrets } = user
  return {
    id: user.id,
    serial: user.serial,
    name: user.name,
    token: user.token,
    instanceKey: user.instanceKey || user.id,
    webhook: redactUrl(s.webhook),
    events: s.events.join(','),
    expiration: user.expiration,
    history: user.history,
    hmacKey: mask(secrets.hmacKey),
    echoApiMessages: s.echoApiMessages,
    skipMediaDownload: s.skipMediaDownload,
    skipGroups: s.skipGroups,
    skipNewsletters: s.skipNewsletters,
    skipBroadcasts: s.skipBroadcasts,
    skipOwnMessages: s.skipOwnMessages,
    skipCalls: s.skipCalls,
    callRejectMessage: s.callRejectMessage,
    callRejectType: s.callRejectType,
    isFromAPI: s.echoApiMessages,
    globalTransportSkips: s.globalTransportSkips,
    proxyConfig: { enabled: secrets.proxy.enabled, proxyURL: redactUrl(secrets.proxy.url) },
    s3Config: {
      ...secrets.s3,
      access_key: mask(secrets.s3.access_key),
      secret_key: mask(secrets.s3.secret_key),
    },
    rabbitmqConfig: rabbitView(user),
    whatsappConfig: Object.fromEntries(Object.entries(s.whatsappConfig).map(([k, v]) => [k, String(v)])),
  }
}

export function rabbitView(user: User): UserView['rabbitmq_config'] {
  const { queue_arguments, exchange_arguments, url, ...rest } = user.secrets.rabbitmq
  return {
    ...(rest as UserView['rabbitmq_config']),
    url: redactUrl(url),
    ...(queue_arguments !== undefined ? { queue_arguments: JSON.stringify(queue_arguments) } : {}),
    ...(exchange_arguments !== undefined ? { exchange_arguments: JSON.stringify(exchange_arguments) } : {}),
  }
}

function unmasked<T extends object>(config: T): T {
  return Object.fromEntries(
    Object.entries(config).filter(([, v]) => v !== undefined && !(typeof v === 'string' && v.includes(MASK))),
  ) as T
}

function asObject(value: string | Record<string, unknown>): Record<string, unknown> {
  if (typeof value !== 'string') return value
  if (value.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(value)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>
  } catch {}
  throw validation('rabbitmqConfig queue_arguments and exchange_arguments must be JSON objects')
}

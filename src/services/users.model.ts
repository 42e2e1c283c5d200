import type { WebhookFormat } from '../events/sinks/webhook.sink.js'
/** Domain types of a Zapwire user (one WhatsApp number), independent of rows and wire shapes. */

export type CallRejectType = 'busy' | 'decline' | 'unavailable'

export interface GlobalTransportSkips {
  skipGlobalWebhook: boolean
  skipGlobalRabbitMQ: boolean
  skipGlobalSQS: boolean
  skipGlobalRedis: boolean
  skipGlobalWebSocket: boolean
  skipGlobalS3: boolean
}

/** DIGIGO's client fingerprint, camelCase as in CreateUser. */
export interface WhatsAppConfig {
  waVersion: string
  waPlatform: string
  waReleaseChannel: string
  waWebSubPlatform: string
  waOSName: string
  waOSVersion: string
  waDeviceName: string
  waManufacturer: string
  waDeviceBoard: string
  waLocaleLanguage: string
  waLocaleCountry: string
  waMCC: string
  waMNC: string
  waConnectType: string
  waPlatformType: string
}

export interface UserSettings {
  webhook: string
  /** The webhook receives events (DIGIGO's `active`); false keeps its URL but sends nothing. */
  webhookActive: boolean
  /** `json` (Miauzap's {event, instance, data}) or `wuzapi-form` (upstream wuzapi's form). */
  webhookFormat: WebhookFormat
  /** Subscribed event names, or `['All']`. */
  events: string[]
  skipMediaDownload: boolean
  skipGroups: boolean
  skipNewsletters: boolean
  skipBroadcasts: boolean
  skipOwnMessages: boolean
  skipCalls: boolean
  echoApiMessages: boolean
  /** Reconnect by itself after transient failures (DIGIGO's enableAutoReconnect). */
  autoReconnect: boolean
  /** DIGIGO's AutoPresenceUnavailable (`/session/presence/config`). */
  autoPresenceUnavailable: boolean
  callRejectMessage: string
  callRejectType: CallRejectType
  globalTransportSkips: GlobalTransportSkips
  whatsappConfig: Partial<WhatsAppConfig>
}

export interface ProxyConfig {
  enabled: boolean
  url: string
  /** Hosts reached directly, not through the proxy. */
  bypass?: string[]
}

/** S3 settings, snake_case as the seeds prefer. */
export interface S3Config {
  enabled: boolean
  endpoint: string
  region: string
  bucket: string
  access_key: string
  secret_key: string
  path_style: boolean
  public_url: string
  /** Keys start with it (upstream wuzapi's `path_prefix`), then `<user id>/`. */
  path_prefix: string
  media_delivery: 'base64' | 's3' | 'both'
  retention_days: number
  disable_acl: boolean
}

/** Per-user RabbitMQ settings, snake_case as DIGIGO's RabbitMQConfig; the sink issue gives them force. */
export interface RabbitMQConfig {
  enabled: boolean
  url: string
  [option: string]: unknown
}

/** Settings that hold credentials: stored encrypted, masked in every response. */
export interface UserSecrets {
  hmacKey: string
  /** The webhook URL's user-info (`user:pass`), kept here encrypted, never in `settings`. */
  webhookCredentials: string
  proxy: ProxyConfig
  s3: S3Config
  rabbitmq: RabbitMQConfig
}

export interface User {
  id: string
  /** Miauzap-style integer id, also accepted wherever an id is. */
  serial: number
  name: string
  token: string
  jid: string
  lid: string
  /** Mega-api's instance key ('' when unset: the id serves). */
  instanceKey: string
  /** Unix seconds; 0 = never. */
  expiration: number
  /** Messages kept per chat; 0 = history off. */
  history: number
  version: number
  createdAt: string
  updatedAt: string
  settings: UserSettings
  secrets: UserSecrets
}

/** What an admin may set when creating or updating a user; absent = keep (update) or default. */
export interface UserInput {
  name?: string
  token?: string
  /** '' clears it. */
  instanceKey?: string
  webhook?: string
  webhookActive?: boolean
  webhookFormat?: string
  events?: string | string[]
  expiration?: number
  history?: number
  hmacKey?: string
  skipMediaDownload?: boolean
  skipGroups?: boolean
  skipNewsletters?: boolean
  skipBroadcasts?: boolean
  skipOwnMessages?: boolean
  skipCalls?: boolean
  echoApiMessages?: boolean
  autoReconnect?: boolean
  autoPresenceUnavailable?: boolean
  callRejectMessage?: string
  callRejectType?: CallRejectType | 'declined'
  globalTransportSkips?: Partial<GlobalTransportSkips>
  proxyConfig?: Partial<ProxyConfig>
  s3Config?: Partial<S3Config>
  rabbitmqConfig?: Partial<RabbitMQConfig>
  whatsappConfig?: Partial<WhatsAppConfig>
}

export const DEFAULT_CALL_REJECT_MESSAGE = 'Sorry, I cannot take calls at the moment.'

export function defaultSettings(): UserSettings {
  return {
    webhook: '',
    webhookActive: true,
    webhookFormat: 'json',
    events: ['All'],
    skipMediaDownload: false,
    skipGroups: false,
    skipNewsletters: false,
    skipBroadcasts: false,
    skipOwnMessages: false,
    skipCalls: false,
    echoApiMessages: false,
    autoReconnect: true,
    autoPresenceUnavailable: false,
    callRejectMessage: DEFAULT_CALL_REJECT_MESSAGE,
    callRejectType: 'busy',
    globalTransportSkips: {
      skipGlobalWebhook: false,
      skipGlobalRabbitMQ: false,
      skipGlobalSQS: false,
      skipGlobalRedis: false,
      skipGlobalWebSocket: false,
      skipGlobalS3: false,
    },
    whatsappConfig: {},
  }
}

export function defaultSecrets(): UserSecrets {
  return {
    hmacKey: '',
    webhookCredentials: '',
    proxy: { enabled: false, url: '' },
    s3: {
      enabled: false,
      endpoint: '',
      region: '',
      bucket: '',
      access_key: '',
      secret_key: '',
      path_style: false,
      public_url: '',
      path_prefix: '',
      media_delivery: 'both',
      retention_days: 0,
      disable_acl: false,
    },
    rabbitmq: { enabled: false, url: '' },
  }
}

import { type Static, Type } from '@sinclair/typebox'

/**
 * Wire shapes of a user in the wuzapi dialect. Input keys are matched ignoring case, `_` and `-`
 * (see server/normalize.ts), so DIGIGO's camelCase, its snake_case read view and Miauzap's
 * spellings all land on the names below.
 */

const Str = (description?: string) => Type.String(description ? { description } : {})
const Bool = (description?: string) => Type.Boolean(description ? { description } : {})
const Whole = (description: string) => Type.Integer({ minimum: 0, description })
const aliases = (...names: string[]) => ({ 'x-aliases': names })
const lit = <const T extends string[]>(...values: T) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values })

export const GlobalTransportSkips = Type.Object({
  skipGlobalWebhook: Bool(),
  skipGlobalRabbitMQ: Bool(),
  skipGlobalSQS: Bool(),
  skipGlobalRedis: Bool(),
  skipGlobalWebSocket: Bool(),
  skipGlobalS3: Bool(),
})

const S3Fields = {
  enabled: Bool(),
  endpoint: Str('Leave empty for AWS S3'),
  region: Str(),
  bucket: Str(),
  access_key: Str(),
  secret_key: Str(),
  path_style: Bool('Required for MinIO'),
  public_url: Str('Public/CDN base URL'),
  path_prefix: Str('Keys start with it, then your user id'),
  media_delivery: lit('base64', 's3', 'both'),
  retention_days: Whole('0 = keep forever'),
  disable_acl: Bool(),
}

const RabbitFields = {
  enabled: Bool(),
  url: Str('amqp://user:pass@host:port/vhost'),
  exchange: Str(),
  exchange_type: lit('topic', 'direct', 'fanout', 'headers'),
  queue: Str('May use {user_id} and {event_type}'),
  queue_type: lit('classic', 'quorum', 'stream'),
  routing_key: Str(),
  events: Type.Union([Type.String(), Type.Array(Type.String())]),
  durable: Bool(),
  auto_delete: Bool(),
  exclusive: Bool(),
  no_wait: Bool(),
  delivery_mode: Type.Union([Type.Literal(1), Type.Literal(2)]),
  dead_letter_exchange: Str(),
  dead_letter_routing_key: Str(),
  message_ttl: Whole('ms'),
  max_length: Whole('messages'),
  max_length_bytes: Whole('bytes'),
  queue_arguments: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.String()]),
  exchange_arguments: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.String()]),
  connection_pool_size: Whole(''),
  worker_count: Whole(''),
  queue_buffer_size: Whole(''),
  batch_size: Whole(''),
  batch_timeout_ms: Whole(''),
  publish_timeout_ms: Whole(''),
  max_retries: Whole(''),
  retry_delay_ms: Whole(''),
}

export const WhatsAppConfigInput = Type.Partial(
  Type.Object({
    waVersion: Str('e.g. 2.3000.1026436087'),
    waPlatform: lit('WEB', 'ANDROID', 'IOS'),
    waReleaseChannel: lit('RELEASE', 'BETA'),
    waWebSubPlatform: lit('WEB_BROWSER', 'DARWIN'),
    waOSName: Str(),
    waOSVersion: Str(),
    waDeviceName: Str(),
    waManufacturer: Str(),
    waDeviceBoard: Str(),
    waLocaleLanguage: Type.String({ pattern: '^([a-z]{2})?$', description: 'ISO 639-1' }),
    waLocaleCountry: Type.String({ pattern: '^([A-Z]{2})?$', description: 'ISO 3166-1 alpha-2' }),
    waMCC: Str(),
    waMNC: Str(),
    waConnectType: lit('WIFI_UNKNOWN', 'CELLULAR_LTE', 'CELLULAR_3G', 'CELLULAR_2G'),
    waPlatformType: lit('DESKTOP', 'CHROME', 'FIREFOX', 'SAFARI', 'EDGE'),
  }),
)

/** DIGIGO's CreateUser plus Miauzap's and Zapwire's fields; every field optional for updates. */
export const UserInputFields = {
  name: Type.String({ minLength: 1, maxLength: 255 }),
  token: Type.String({ minLength: 1, description: 'Generated when not given; unique' }),
  instanceKey: Type.String({
    maxLength: 100,
    description:
      'Zapwire: the Mega-api instance key (`/rest/.../{instance_key}`); unique; empty: the id serves',
  }),
  webhook: Type.String({ ...aliases('webhookURL'), description: 'Webhook URL (http/https)' }),
  events: Type.Union([Type.String(), Type.Array(Type.String())], {
    ...aliases('subscribe'),
    description: 'Comma-separated event names or "All"',
  }),
  expiration: Whole('Unix timestamp after which the user is refused; 0 = never'),
  history: Whole('Zapwire: messages kept per chat for /chat/history; 0 = history off'),
  hmacKey: Type.String({ description: 'Zapwire: key for webhook signatures (≥ 32 chars); empty removes it' }),
  echoApiMessages: Bool(),
  autoReconnect: Type.Boolean({
    ...aliases('enableAutoReconnect'),
    description: 'reconnect after transient failures (default true)',
  }),
  skipMediaDownload: Type.Boolean(aliases('skipMedia')),
  skipGroups: Bool(),
  skipNewsletters: Bool(),
  skipBroadcasts: Bool(),
  skipOwnMessages: Bool(),
  skipCalls: Bool(),
  callRejectMessage: Str(),
  callRejectType: lit('busy', 'decline', 'declined', 'unavailable'),
  globalTransportSkips: Type.Partial(GlobalTransportSkips),
  proxyConfig: Type.Partial(
    Type.Object({
      enabled: Bool(),
      proxyURL: Type.String(aliases('url')),
      bypass: Type.Array(Type.String(), { description: 'Zapwire: hosts reached directly' }),
    }),
  ),
  s3Config: Type.Partial(Type.Object(S3Fields)),
  rabbitmqConfig: Type.Partial(Type.Object(RabbitFields)),
  whatsappConfig: WhatsAppConfigInput,
}

export const UpdateUserBody = Type.Partial(Type.Object(UserInputFields))
export type UpdateUserBody = Static<typeof UpdateUserBody>

export const CreateUserBody = Type.Object({ ...UpdateUserBody.properties, name: UserInputFields.name })
export type CreateUserBody = Static<typeof CreateUserBody>

/** DIGIGO's RabbitMQConfig, as `/session/rabbitmq/config` takes it. */
export const S3ConfigBody = Type.Partial(Type.Object(S3Fields))
export const RabbitMQConfigBody = Type.Partial(Type.Object(RabbitFields))
export const MaskedRabbit = Type.Partial(
  Type.Object({
    ...RabbitFields,
    events: Type.String(),
    queue_arguments: Type.String(),
    exchange_arguments: Type.String(),
  }),
)

/** DIGIGO's `User` read view (snake_case), plus Zapwire's additions. */
export const UserView = Type.Object(
  {
    id: Str('32 hex characters'),
    serial: Type.Integer({ description: "Zapwire: Miauzap's integer id; accepted wherever an id is" }),
    name: Str(),
    avatar_url: Str(),
    token: Str(),
    instanceKey: Str('Zapwire: the Mega-api instance key (the id when none was set)'),
    webhook: Str(),
    jid: Str(),
    lid: Str('Zapwire: the account LID once known'),
    qrcode: Str(),
    connected: Bool(),
    loggedIn: Bool(),
    expiration: Type.Integer(),
    events: Str(),
    history: Type.Integer(),
    hmac_key: Str('Zapwire: "***" when a key is set'),
    skip_media_download: Bool(),
    skip_groups: Bool(),
    skip_newsletters: Bool(),
    skip_broadcasts: Bool(),
    skip_own_messages: Bool(),
    skip_calls: Bool(),
    call_reject_message: Str(),
    call_reject_type: Str(),
    echo_api_messages: Bool(),
    enableAutoReconnect: Bool(),
    isFromAPI: Bool(),
    globalTransportSkips: GlobalTransportSkips,
    proxy_config: Type.Object({ enabled: Bool(), proxy_url: Str() }),
    s3_config: Type.Partial(Type.Object({ ...S3Fields, secret_key: Type.Optional(Str()) })),
    rabbitmq_config: MaskedRabbit,
    whatsapp_config: Type.Record(Type.String(), Type.String()),
    created_at: Str(),
    updated_at: Str(),
  },
  { $id: 'WuzapiUser' },
)
export type UserView = Static<typeof UserView>

/** The 201 body of POST /admin/users: DIGIGO echoes the user in CreateUser's camelCase. */
export const CreatedUserView = Type.Object({
  id: Str(),
  serial: Type.Integer(),
  name: Str(),
  token: Str(),
  instanceKey: Str(),
  webhook: Str(),
  events: Str(),
  expiration: Type.Integer(),
  history: Type.Integer(),
  hmacKey: Str(),
  echoApiMessages: Bool(),
  skipMediaDownload: Bool(),
  skipGroups: Bool(),
  skipNewsletters: Bool(),
  skipBroadcasts: Bool(),
  skipOwnMessages: Bool(),
  skipCalls: Bool(),
  callRejectMessage: Str(),
  callRejectType: Str(),
  isFromAPI: Bool(),
  globalTransportSkips: GlobalTransportSkips,
  proxyConfig: Type.Object({ enabled: Bool(), proxyURL: Str() }),
  s3Config: Type.Partial(Type.Object(S3Fields)),
  rabbitmqConfig: MaskedRabbit,
  whatsappConfig: Type.Record(Type.String(), Type.String()),
})
export type CreatedUserView = Static<typeof CreatedUserView>

export const UserIdParams = Type.Object({
  id: Type.String({ description: '32-hex id (DIGIGO) or integer id (Miauzap)' }),
})

export const UpdateOwnBody = Type.Object({
  name: Type.Optional(Type.String()),
  token: Type.Optional(Type.String()),
})

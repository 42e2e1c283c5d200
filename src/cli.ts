#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander'
import { destination, pino } from 'pino'
import { type Config, ConfigError, loadConfig, loadDotEnv } from './config/config.js'
import { resolveSecrets } from './config/data-dir.js'
import { redactUrl } from './lib/redact.js'
import { announceAdminToken, serve } from './main.js'
import { VERSION } from './server/app.js'
import { openContext } from './services/context.js'
import { WrongEncryptionKeyError } from './services/encryption-check.js'
import { AppError } from './services/errors.js'
import { openDatabase } from './store/database.js'
import { migrateToLatest, migrateToZero } from './store/migrate.js'

const program = new Command()
  .name('zapwire')
  .description(
    'Self-hosted WhatsApp HTTP gateway (wuzapi and Mega-api dialects).\nSettings come from the environment and an optional .env file; see the README.',
  )
  .version(VERSION)

program
  .command('serve')
  .description('Start the HTTP server (what `npm start` runs)')
  .option('-p, --port <port>', 'HTTP port (overrides ZAPWIRE_PORT)')
  .option('--sandbox', 'attach to a local test network with virtual contacts instead of WhatsApp')
  .option('--skipmedia', 'never download media for events (wins over GLOBAL_SKIP_MEDIA_DOWNLOAD and users)')
  .action(async (opts: { port?: string; sandbox?: boolean; skipmedia?: boolean }) => {
    await serve(config(opts.port ? { ZAPWIRE_PORT: opts.port } : {}), {
      sandbox: opts.sandbox ?? false,
      skipMedia: opts.skipmedia ?? false,
    })
  })

program
  .command('migrate')
  .description('Bring the database to the latest schema (also done at every start)')
  .option('--down', 'undo every migration instead (drops all data)')
  .action(async (opts: { down?: boolean }) => {
    const database = openDatabase(config().databaseUrl)
    try {
      const names = opts.down ? await migrateToZero(database.db) : await migrateToLatest(database.db)
      process.stdout.write(
        names.length ? `${opts.down ? 'Undid' : 'Applied'}: ${names.join(', ')}\n` : 'Nothing to do.\n',
      )
    } finally {
      await database.close()
    }
  })

program
  .command('testnet')
  .description('Run the local WhatsApp test network; prints one JSON line with its addresses, then logs')
  .option('-p, --port <port>', 'port for the chat WebSocket and the control API', '0')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .action(async (opts: { port: string; host: string }) => {
    const { startTestNetwork } = await import('./testnet/server.js')
    const log = pino({ level: process.env.ZAPWIRE_LOG_LEVEL ?? 'info' }, destination(2))
    const running = await startTestNetwork({ port: Number(opts.port), host: opts.host, log })
    process.stdout.write(`${JSON.stringify(running.info)}\n`)
    const stop = () => void running.close().then(() => process.exit(0))
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })

const users = program.command('users').description('Manage users (WhatsApp instances) without HTTP')

users
  .command('create')
  .description('Create a user and print it as JSON (with its token)')
  .requiredOption('-n, --name <name>', 'display name')
  .option('-t, --token <token>', 'API token (generated when omitted)')
  .option('-w, --webhook <url>', 'webhook URL')
  .option('-e, --events <names>', 'comma-separated event names, or All', 'All')
  .option('--expiration <unix>', 'unix time after which the user is refused (0 = never)', wholeNumber, 0)
  .option('--history <n>', 'messages kept per chat (0 = off)', wholeNumber, 0)
  .action(
    async (opts: {
      name: string
      token?: string
      webhook?: string
      events: string
      expiration: number
      history: number
    }) => {
      await withServices(async ({ users }) => {
        const user = await users.create(opts)
        const { id, serial, name, token, expiration, history } = user
        print({
          id,
          serial,
          name,
          token,
          webhook: redactUrl(user.settings.webhook),
          events: user.settings.events.join(','),
          expiration,
          history,
        })
      })
    },
  )

users
  .command('list')
  .description('List users')
  .option('--json', 'print JSON instead of a table')
  .action(async (opts: { json?: boolean }) => {
    await withServices(async ({ users }) => {
      const rows = (await users.list()).map((u) => ({
        id: u.id,
        serial: u.serial,
        name: u.name,
        token: u.token,
        events: u.settings.events.join(','),
        webhook: redactUrl(u.settings.webhook),
      }))
      if (opts.json) print(rows)
      else if (rows.length === 0) process.stdout.write('No users.\n')
      else console.table(rows)
    })
  })

function config(overrides: Record<string, string> = {}): Config {
  loadDotEnv()
  return loadConfig({ ...process.env, ...overrides })
}

async function withServices(
  run: (services: Awaited<ReturnType<typeof openContext>>['services']) => Promise<void>,
) {
  const cfg = config()
  const { adminToken, encryptionKey, generatedAdminToken } = resolveSecrets(cfg)
  if (generatedAdminToken) announceAdminToken(cfg, generatedAdminToken)
  const context = await openContext({
    databaseUrl: cfg.databaseUrl,
    adminToken,
    encryptionKey,
    blockPrivateUrls: false,
  })
  try {
    await run(context.services)
  } finally {
    await context.close()
  }
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number')
  return Number(value)
}

function print(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof WrongEncryptionKeyError || err instanceof AppError) {
    process.stderr.write(`zapwire: ${err.message}\n`)
  } else {
    process.stderr.write(`zapwire: ${(err as Error).stack ?? String(err)}\n`)
  }
  process.exitCode = 1
})

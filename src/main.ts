import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { type Logger, pino } from 'pino'
import type { Config } from './config/config.js'
import { resolveSecrets } from './config/data-dir.js'
import { buildApp } from './server/app.js'

/**
 * The launcher: logger, server timeouts, listen, and graceful shutdown on SIGTERM/SIGINT
 * (stop accepting, finish in-flight requests, close the database).
 */
/** Virtual contacts of the sandbox: the first answers every text with the same text. */
export const SANDBOX_CONTACTS = [
  { phone: '5500000000001', name: 'Echo', echo: true },
  { phone: '5500000000002', name: 'Alice', echo: false },
  { phone: '5500000000003', name: 'Bob', echo: false },
]

export async function serve(
  config: Config,
  options: { sandbox?: boolean; skipMedia?: boolean } = {},
): Promise<FastifyInstance> {
  const logger = pino({ level: config.logLevel })
  if (options.sandbox) config = { ...config, testnetUrl: await startSandbox(logger) }
  const secrets = resolveSecrets(config)
  if (secrets.generatedAdminToken) announceAdminToken(config, secrets.generatedAdminToken)
  const app = await buildApp(
    {
      config,
      adminToken: secrets.adminToken,
      encryptionKey: secrets.encryptionKey,
      skipMedia: options.skipMedia ?? false,
    },
    {
      loggerInstance: logger,
      connectionTimeout: 120_000,
      requestTimeout: 60_000,
      keepAliveTimeout: 10_000,
    },
  )
  app.server.headersTimeout = 15_000
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen({ port: config.port, host: config.host })
  return app
}

/**
 * The sandbox: a local test network in this process with a few virtual contacts, so the API can
 * be tried with no phone. Returns the network's control URL.
 */
async function startSandbox(logger: Logger): Promise<string> {
  const { startTestNetwork } = await import('./testnet/server.js')
  const port = Number(process.env.ZAPWIRE_SANDBOX_PORT ?? 0)
  const running = await startTestNetwork({
    port,
    host: '127.0.0.1',
    log: logger.child({ sandbox: true }, { level: 'warn' }),
  })
  for (const contact of SANDBOX_CONTACTS)
    await running.createAccount(contact.phone, contact.name, { echo: contact.echo })
  process.stdout.write(
    `\nSandbox: a local WhatsApp network at ${running.info.controlUrl} (no phone, no internet).\n` +
      `Virtual contacts: ${SANDBOX_CONTACTS.map((c) => `${c.name} ${c.phone}${c.echo ? ' (answers every text)' : ''}`).join(', ')}.\n` +
      `Approve a QR with: POST ${running.info.controlUrl}/accounts/<your phone>/link {"qr": "<qrcode_text of /session/status>"}\n\n`,
  )
  return running.info.controlUrl
}

/** Shown once, on the start that generated the token. */
export function announceAdminToken(config: Config, token: string): void {
  process.stdout.write(
    `\nGenerated the admin token (stored in ${config.dataDir}/admin-token). It is shown only this once:\n\n` +
      `    ${token}\n\nUse it as the Authorization header of /admin/* calls.\n\n`,
  )
}

// Writes openapi.json from the routes' schemas. `npm run openapi`; a test fails when it is stale.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config/config.js'
import { buildApp } from '../src/server/app.js'

export async function generateOpenApi(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-openapi-'))
  const config = loadConfig({ ZAPWIRE_DATA_DIR: dataDir, DATABASE_URL: 'sqlite::memory:' })
  const app = await buildApp(
    { config, adminToken: 'x'.repeat(16), encryptionKey: randomBytes(32) },
    { logger: false },
  )
  try {
    return `${JSON.stringify(app.swagger(), null, 2)}\n`
  } finally {
    await app.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  fs.writeFileSync('openapi.json', await generateOpenApi())
  console.log('wrote openapi.json')
}

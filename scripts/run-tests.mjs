// Runs every *.test.ts under src/ and test/ with node's test runner (TypeScript through tsx).
// Extra arguments are passed on, e.g. `node scripts/run-tests.mjs test/cli.test.ts`.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : find(file)
    return entry.name.endsWith('.test.ts') ? [file] : []
  })
}

const args = process.argv.slice(2)
const files = args.some((a) => a.endsWith('.ts')) ? [] : [...find('src'), ...find('test')].sort()
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-force-exit',
    '--test-concurrency=2',
    '--test-timeout=120000',
    ...args,
    ...files,
  ],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)

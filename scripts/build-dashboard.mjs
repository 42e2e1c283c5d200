// Builds the operators' dashboard: web/src/*.ts → dist/dashboard/*.js (the project's own tsc,
// DOM lib), and copies web/'s static files next to them. Part of `npm run build`.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(root, 'dist', 'dashboard')
fs.rmSync(out, { recursive: true, force: true })
const tsc = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'web/tsconfig.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
)
if (tsc.status !== 0) process.exit(tsc.status ?? 1)
for (const name of fs.readdirSync(path.join(root, 'web'))) {
  if (/\.(html|css|svg|png|ico)$/.test(name))
    fs.copyFileSync(path.join(root, 'web', name), path.join(out, name))
}

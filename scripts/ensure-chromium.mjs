// The dashboard's browser test drives Debian's chromium (through playwright-core, which downloads
// no browser). Installs it with apt when it is missing; CHROMIUM_PATH points at another build.
// Run by `npm test` (pretest) and by the dashboard test itself.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

export function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not exist`)
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  const sudo = root ? [] : ['sudo', '-n']
  const run = (args) => {
    const [cmd, ...rest] = [...sudo, ...args]
    const res = spawnSync(cmd, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    if (res.status !== 0)
      throw new Error(
        `\`${[cmd, ...rest].join(' ')}\` failed: install chromium (apt-get install chromium) or set CHROMIUM_PATH`,
      )
  }
  console.error('chromium is missing: installing it with apt-get (the dashboard test needs it)')
  run(['apt-get', 'update'])
  run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium'])
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt installed chromium, but ${CHROMIUM} is not there`)
  return CHROMIUM
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(ensureChromium())
  } catch (err) {
    console.error(err.message)
    process.exit(1)
  }
}

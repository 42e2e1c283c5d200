import assert from 'node:assert/strict'
import fs from 'node:fs'
import { describe, it } from 'node:test'
import { SETTINGS } from '../src/config/config.js'

describe('README', () => {
  const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8')

  it('lists every setting in its settings table', () => {
    for (const setting of Object.values(SETTINGS)) {
      for (const name of setting.names) {
        if (name === 'PORT' || name === 'HOST') continue
        assert.ok(readme.includes(`\`${name}\``), `${name} is missing from the README`)
      }
    }
  })

  it('has exactly two set-up commands', () => {
    const setup = readme.slice(
      readme.indexOf('## Set-up'),
      readme.indexOf('\n## ', readme.indexOf('## Set-up') + 1),
    )
    const commands = [...setup.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
      m[1]!.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')),
    )
    assert.equal(commands.length, 2, commands.join('\n'))
  })
})

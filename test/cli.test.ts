import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { startServer } from './helpers/process.js'

const run = promisify(execFile)

describe('the zapwire command', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-cli-'))
  const env = { ZAPWIRE_DATA_DIR: dataDir, ZAPWIRE_LOG_LEVEL: 'info' }
  const cli = (...args: string[]) =>
    run(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, ...env } })
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }))

  it('serve: first start generates and prints the admin token once, answers /health, stops on SIGTERM', async () => {
    const server = await startServer(env)
    const tokenFile = path.join(dataDir, 'admin-token')
    const token = fs.readFileSync(tokenFile, 'utf8').trim()
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600)
    assert.equal(fs.statSync(path.join(dataDir, 'encryption-key')).mode & 0o777, 0o600)
    assert.ok(fs.existsSync(path.join(dataDir, 'zapwire.db')))
    assert.equal(server.output().split(token).length - 1, 1, 'token printed exactly once')

    const health = await fetch(`${server.url}/health`)
    assert.equal(health.status, 200)
    assert.equal(((await health.json()) as { status: string }).status, 'healthy')

    const created = await fetch(`${server.url}/admin/users`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'FromHttp', token: 'http-made-token' }),
    })
    assert.equal(created.status, 201)
    assert.equal(await server.stop('SIGTERM'), 0)
    assert.match(server.output(), /shutting down/)
  })

  it('serve: a second start keeps the token and data and prints no token', async () => {
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim()
    const server = await startServer(env)
    try {
      assert.equal(server.output().includes(token), false)
      const res = await fetch(`${server.url}/admin/users`, { headers: { authorization: `Bearer ${token}` } })
      const users = ((await res.json()) as { data: { name: string }[] }).data
      assert.deepEqual(
        users.map((u) => u.name),
        ['FromHttp'],
      )
    } finally {
      assert.equal(await server.stop('SIGINT'), 0)
    }
  })

  it('serve --skipmedia turns media download off for every user, over the user and global settings', async () => {
    const server = await startServer({ ...env, GLOBAL_SKIP_MEDIA_DOWNLOAD: 'false' }, 20_000, ['--skipmedia'])
    try {
      const read = await fetch(`${server.url}/session/skipmedia/config`, {
        headers: { token: 'http-made-token' },
      })
      assert.equal(read.status, 200)
      const body = (await read.json()) as { UserSkipMediaDownload: boolean; GlobalSkipMediaDownload: boolean }
      assert.deepEqual(
        [body.UserSkipMediaDownload, body.GlobalSkipMediaDownload],
        [false, true],
        JSON.stringify(body),
      )
    } finally {
      assert.equal(await server.stop('SIGINT'), 0)
    }
  })

  it('users create and users list work without HTTP', async () => {
    const { stdout } = await cli(
      'users',
      'create',
      '--name',
      'FromCli',
      '--events',
      'Message,ReadReceipt',
      '--history',
      '50',
    )
    const user = JSON.parse(stdout)
    assert.equal(user.name, 'FromCli')
    assert.equal(user.events, 'Message,ReadReceipt')
    assert.equal(user.history, 50)
    assert.match(user.token, /^[0-9a-f]{32}$/)
    const list = JSON.parse((await cli('users', 'list', '--json')).stdout)
    assert.deepEqual(
      list.map((u: { name: string }) => u.name),
      ['FromHttp', 'FromCli'],
    )
    assert.match((await cli('users', 'list')).stdout, /FromCli/)
  })

  it('migrate is a no-op on an up-to-date database; --help is useful', async () => {
    assert.equal((await cli('migrate')).stdout, 'Nothing to do.\n')
    const help = (await cli('--help')).stdout
    for (const command of ['serve', 'migrate', 'users']) assert.match(help, new RegExp(command))
  })

  it('refuses bad settings and a wrong encryption key with a clear message and exit code 1', async () => {
    await assert.rejects(
      cli('users', 'create', '--name', 'x', '--events', 'Nope'),
      (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 1)
        assert.equal(err.stderr, 'zapwire: unknown event names: Nope\n')
        return true
      },
    )
    await assert.rejects(
      run(process.execPath, ['dist/cli.js', 'serve'], {
        env: { ...process.env, ...env, ZAPWIRE_PORT: 'x', ZAPWIRE_LOG_LEVEL: 'loud' },
      }),
      (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 1)
        assert.match(err.stderr, /ZAPWIRE_LOG_LEVEL=loud must be one of/)
        assert.match(err.stderr, /ZAPWIRE_PORT=x must be a whole number/)
        return true
      },
    )
    await assert.rejects(
      run(process.execPath, ['dist/cli.js', 'users', 'list'], {
        env: { ...process.env, ...env, ZAPWIRE_ENCRYPTION_KEY: 'cd'.repeat(32) },
      }),
      (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 1)
        assert.match(err.stderr, /encryption key does not match/)
        return true
      },
    )
  })
})

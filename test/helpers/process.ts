import { type ChildProcess, spawn } from 'node:child_process'

export interface ServerProcess {
  child: ChildProcess
  url: string
  output(): string
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** Starts `zapwire serve` as a user would and waits (up to `timeoutMs`) until it listens. */
export function startServer(
  env: Record<string, string>,
  timeoutMs = 20_000,
  args: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['dist/cli.js', 'serve', ...args], {
    env: { ...process.env, ZAPWIRE_PORT: '0', ZAPWIRE_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`zapwire serve did not listen within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve({
          child,
          url: match[1],
          output: () => output,
          stop: async (signal = 'SIGTERM') => {
            child.kill(signal)
            return exited
          },
        })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`zapwire serve exited with ${code}:\n${output}`))
    })
  })
}

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before } from 'node:test'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'

/** s3rver's fixed credentials: it checks every request's signature against them. */
export const S3_KEY = 'S3RVER'

export interface LocalS3 {
  endpoint: string
  dir: string
  client: S3Client
  /** Keys under a prefix of a bucket. */
  keys(bucket: string, prefix?: string): Promise<string[]>
  get(bucket: string, key: string): Promise<Buffer>
  /** Makes every stored object under a prefix look `days` old (s3rver reads the file's mtime). */
  age(bucket: string, prefix: string, days: number): void
}

/** A local S3-compatible server (s3rver) on a loopback port, with the given buckets, per suite. */
export function useS3(buckets: string[]): LocalS3 {
  const ctx = {} as LocalS3 & { server: S3rver }
  before(async () => {
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zapwire-s3-'))
    ctx.server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: ctx.dir,
      configureBuckets: buckets.map((name) => ({ name })),
    })
    const { port } = await ctx.server.run()
    ctx.endpoint = `http://127.0.0.1:${port}`
    ctx.client = new S3Client({
      endpoint: ctx.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY },
    })
    ctx.keys = async (bucket, prefix = '') => {
      const out = await ctx.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))
      return (out.Contents ?? []).map((o) => o.Key ?? '')
    }
    ctx.get = async (bucket, key) => {
      const out = await ctx.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      return Buffer.from(await out.Body!.transformToByteArray())
    }
    ctx.age = (bucket, prefix, days) => {
      const when = new Date(Date.now() - days * 86_400_000)
      const root = path.join(ctx.dir, bucket, ...prefix.split('/').filter(Boolean))
      for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true }))
        if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath, entry.name), when, when)
    }
  })
  after(async () => {
    ctx.client?.destroy()
    await ctx.server?.close()
    fs.rmSync(ctx.dir, { recursive: true, force: true })
  })
  return ctx
}

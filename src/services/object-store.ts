import http from 'node:http'
import https from 'node:https'
import {
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { guardedLookup } from '../lib/url-guard.js'

/** Where media objects go: a user's bucket or the global one (S3, MinIO, B2, Spaces…). */
export interface BucketConfig {
  /** Empty: AWS S3 in `region`. */
  endpoint: string
  region: string
  bucket: string
  accessKey: string
  secretKey: string
  pathStyle: boolean
  /** Base of the links given out (a CDN); empty: the object's own URL. */
  publicUrl: string
  /** Keys start with it, then `<user id>/`. */
  pathPrefix: string
  /** Buckets with "bucket owner enforced" refuse ACLs; otherwise objects are public-read. */
  disableAcl: boolean
}

export interface StoredObject {
  key: string
  bucket: string
  url: string
  size: number
}

export interface ListedObject {
  key: string
  size: number
  modified: Date
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/wav': 'wav',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'text/plain': 'txt',
}

/**
 * One bucket, reached through a connection whose DNS answers are checked (never a link-local or
 * metadata address; no private one either when the rule says so). Keys are
 * `<prefix><user id>/<yyyy>/<mm>/<dd>/<message id>.<ext>`: a message's object has one key, so an
 * upload repeated after a crash or a retry replaces itself.
 */
export class ObjectStore {
  private readonly client: S3Client

  constructor(
    readonly config: BucketConfig,
    blockPrivate: boolean,
  ) {
    const lookup = guardedLookup(blockPrivate)
    this.client = new S3Client({
      region: config.region || 'us-east-1',
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.pathStyle,
      credentials: { accessKeyId: config.accessKey, secretAccessKey: config.secretKey },
      // S3-compatible servers (MinIO, B2, older ones) do not all take the newer checksum headers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
      requestHandler: {
        httpAgent: new http.Agent({ keepAlive: true, lookup }),
        httpsAgent: new https.Agent({ keepAlive: true, lookup }),
        connectionTimeout: 10_000,
        requestTimeout: 60_000,
      },
    })
  }

  /** Where a user's objects start. */
  prefixOf(userId: string): string {
    return `${this.config.pathPrefix.replace(/^\/+/, '')}${userId}/`
  }

  keyOf(userId: string, messageId: string, at: Date, mimetype: string): string {
    const day = at.toISOString().slice(0, 10).replaceAll('-', '/')
    const ext = EXTENSIONS[mimetype.split(';')[0]!.trim()] ?? 'bin'
    return `${this.prefixOf(userId)}${day}/${messageId.replace(/[^\w.-]/g, '_')}.${ext}`
  }

  async put(key: string, data: Buffer, contentType: string, fileName?: string): Promise<StoredObject> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        Body: data,
        ContentType: contentType,
        ...(fileName
          ? { ContentDisposition: `inline; filename*=UTF-8''${encodeURIComponent(fileName)}` }
          : {}),
        ...(this.config.disableAcl ? {} : { ACL: 'public-read' }),
      }),
    )
    return { key, bucket: this.config.bucket, url: this.urlOf(key), size: data.length }
  }

  /** The link given out: the public base when set, else the object's address on the endpoint. */
  urlOf(key: string): string {
    const path = key.split('/').map(encodeURIComponent).join('/')
    const { publicUrl, endpoint, bucket, region, pathStyle } = this.config
    if (publicUrl) return `${publicUrl.replace(/\/+$/, '')}/${path}`
    const base = new URL(endpoint || `https://s3.${region || 'us-east-1'}.amazonaws.com`)
    if (pathStyle) return `${base.origin}/${bucket}/${path}`
    return `${base.protocol}//${bucket}.${base.host}/${path}`
  }

  /** Reaches the bucket with the credentials (HeadBucket); throws with S3's reason. */
  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }))
  }

  /** The objects under a prefix, page by page. */
  async *list(prefix: string): AsyncGenerator<ListedObject[]> {
    let token: string | undefined
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: prefix, ContinuationToken: token }),
      )
      yield (page.Contents ?? []).map((o) => ({
        key: o.Key ?? '',
        size: o.Size ?? 0,
        modified: o.LastModified ?? new Date(0),
      }))
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
  }

  /** Deletes up to 1,000 keys in one request; answers how many went. */
  async remove(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0
    const out = await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.config.bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: false },
      }),
    )
    return out.Deleted?.length ?? 0
  }

  /** Deletes everything under a prefix (a removed user's media); answers how many objects. */
  async purge(prefix: string): Promise<number> {
    let removed = 0
    for await (const page of this.list(prefix)) removed += await this.remove(page.map((o) => o.key))
    return removed
  }

  close(): void {
    this.client.destroy()
  }
}

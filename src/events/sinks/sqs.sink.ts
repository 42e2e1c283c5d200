import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { eventEnvelope, type ZapEvent } from '../event.js'
import { DeliveryError, type SinkTarget, TargetSink } from '../sink.js'

export interface SqsTarget extends SinkTarget {
  queueUrl: string
  region: string
  /** An S3-compatible or local endpoint; empty: AWS's own. */
  endpoint: string
  accessKeyId: string
  secretAccessKey: string
}

/**
 * Amazon SQS: one message per event. On a FIFO queue (`.fifo`) the message group is the user's
 * chat (order kept per chat) and the deduplication id is the event id (redeliveries dropped).
 */
export class SqsSink extends TargetSink<SqsTarget> {
  readonly transport = 'sqs'
  private readonly client: SQSClient
  private readonly fifo: boolean

  constructor(target: SqsTarget) {
    super(target, `sqs:${target.queueUrl}`)
    this.fifo = target.queueUrl.endsWith('.fifo')
    this.client = new SQSClient({
      region: target.region,
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      ...(target.accessKeyId
        ? { credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey } }
        : {}),
      maxAttempts: 1,
    })
  }

  async deliver(event: ZapEvent): Promise<void> {
    const body = JSON.stringify(eventEnvelope(event))
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.target.queueUrl,
          MessageBody: body,
          MessageAttributes: {
            event: { DataType: 'String', StringValue: event.type },
            eventId: { DataType: 'String', StringValue: event.id },
            userId: { DataType: 'String', StringValue: event.userId },
          },
          ...(this.fifo
            ? {
                MessageGroupId: `${event.userId}|${event.chat}`.slice(0, 128),
                MessageDeduplicationId: event.id
                  .replace(/[^\w!"#$%&'()*+,\-./:;<=>?@[\\\]^`{|}~]/g, '_')
                  .slice(0, 128),
              }
            : {}),
        }),
      )
    } catch (err) {
      throw new DeliveryError(`sqs: ${(err as Error).message}`)
    }
  }

  async close(): Promise<void> {
    this.client.destroy()
  }
}

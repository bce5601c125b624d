import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { TwinComponent } from './components.js';

/** What `/dapr/subscribe` declares (service-kit mountSubscriptions). */
export interface DeclaredSubscription {
  pubsubname: string;
  topic: string;
  route: string;
  deadLetterTopic?: string;
}

/**
 * pubsub.kafka's work on kafkajs, with the component's own settings: the app's SASL login, its consumer group,
 * acks from every in-sync replica (sarama WaitForAll, daprd's default), the partition key as the message key,
 * the event wrapped in a CloudEvent as daprd wraps it. Deliveries go to the app's routes in-process, one at a
 * time per partition (as daprd hands out a partition's messages), retried as resiliency's `pubsubDelivery`
 * says (until the app takes it) and, on a DROP, sent to the dead-letter topic.
 */
export class KafkaPubsub {
  private readonly kafka: Kafka;
  private producer: Promise<Producer> | undefined;
  private consumer: Consumer | undefined;

  constructor(
    private readonly component: TwinComponent,
    private readonly appId: string,
  ) {
    const m = component.metadata;
    this.kafka = new Kafka({
      clientId: m.clientID ?? appId,
      brokers: m.brokers!.split(','),
      logLevel: logLevel.NOTHING,
      ...(m.authType === 'password'
        ? {
            sasl: {
              mechanism: m.saslMechanism === 'SHA-256' ? 'scram-sha-256' : 'scram-sha-512',
              username: m.saslUsername!,
              password: m.saslPassword!,
            },
          }
        : {}),
    } as ConstructorParameters<typeof Kafka>[0]);
  }

  async publish(topic: string, data: string, partitionKey: string | undefined, traceparent: string | undefined): Promise<void> {
    const envelope = `{"specversion":"1.0","id":"${randomUUID()}","source":"${this.appId}","type":"com.dapr.event.sent","datacontenttype":"application/json","pubsubname":"${this.component.name}","topic":"${topic}","time":"${new Date().toISOString()}"${traceparent ? `,"traceparent":"${traceparent}"` : ''},"data":${data}}`;
    await this.send(topic, envelope, partitionKey);
  }

  private async send(topic: string, value: string, key: string | undefined): Promise<void> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    })();
    await (await this.producer).send({ topic, acks: -1, messages: [{ key: key ?? null, value }] });
  }

  async subscribe(app: Hono, subscriptions: DeclaredSubscription[], appToken: string | undefined): Promise<void> {
    if (subscriptions.length === 0) return;
    const m = this.component.metadata;
    // sarama's defaults under daprd: a fetch waits up to 500 ms for a first byte.
    const consumer = this.kafka.consumer({ groupId: m.consumerGroup ?? this.appId, maxWaitTimeInMs: 500, minBytes: 1 });
    this.consumer = consumer;
    // Resolves once the group has handed this consumer its partitions: before that, events would wait.
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topics: subscriptions.map((s) => s.topic), fromBeginning: m.initialOffset === 'oldest' });
    const byTopic = new Map(subscriptions.map((s) => [s.topic, s]));
    await consumer.run({
      partitionsConsumedConcurrently: subscriptions.length * 4,
      // sarama's defaults under daprd: handled offsets are committed every second, not after every batch.
      autoCommitInterval: 1_000,
      eachMessage: async ({ topic, message }) => {
        const subscription = byTopic.get(topic)!;
        const value = message.value?.toString() ?? '';
        const delivered = await deliverWithRetries(() => deliver(app, subscription.route, value, appToken));
        if (!delivered && subscription.deadLetterTopic) await this.send(subscription.deadLetterTopic, value, message.key?.toString());
      },
    });
    await joined;
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    if (this.producer) await (await this.producer).disconnect();
  }
}

type Outcome = 'SUCCESS' | 'RETRY' | 'DROP';

/** One delivery to the app's route, in-process (Hono's request), as daprd's POST would arrive. */
async function deliver(app: Hono, route: string, cloudEvent: string, appToken: string | undefined): Promise<Outcome> {
  const traceparent = /"traceparent":"([^"]+)"/.exec(cloudEvent)?.[1];
  const response = await app.request(route, {
    method: 'POST',
    body: cloudEvent,
    headers: {
      'content-type': 'application/cloudevents+json',
      ...(appToken ? { 'dapr-api-token': appToken } : {}),
      ...(traceparent ? { traceparent } : {}),
    },
  });
  if (response.status >= 300) return 'RETRY';
  const status = ((await response.json().catch(() => ({}))) as { status?: Outcome }).status;
  return status ?? 'SUCCESS';
}

/** resiliency.yaml `pubsubDelivery`: exponential (daprd's 500 ms start, ×1.5), at most 10 s apart, retried until taken or dropped. */
async function deliverWithRetries(attempt: () => Promise<Outcome>): Promise<boolean> {
  let wait = 500;
  for (;;) {
    const outcome = await attempt().catch((): Outcome => 'RETRY');
    if (outcome === 'SUCCESS') return true;
    if (outcome === 'DROP') return false;
    await new Promise((resume) => setTimeout(resume, wait));
    wait = Math.min(wait * 1.5, 10_000);
  }
}

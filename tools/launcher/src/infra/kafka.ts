import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DATA_DIR, type Toolchain } from '../paths.js';
import { isPortOpen, waitUntil } from '../readiness.js';
import type { Supervisor } from '../supervisor.js';

export const KAFKA = { port: 9092, controllerPort: 9093, partitions: 4 } as const;
const DIR = join(DATA_DIR, 'kafka');

/** The real Apache Kafka broker, single-node KRaft (broker + controller) on loopback. */
export async function ensureKafka(supervisor: Supervisor, tools: Toolchain): Promise<'reused' | 'started'> {
  if (await isPortOpen(KAFKA.port)) return 'reused';
  const properties = writeServerProperties();
  const classpath = `${tools.kafkaLibs}/*`;
  const jvm = ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', `-Dlog4j.configuration=file:${writeLog4j()}`, `-Dkafka.logs.dir=${DIR}`, '-cp', classpath];
  if (!existsSync(join(DIR, 'log', 'meta.properties'))) {
    const clusterId = randomBytes(16).toString('base64url');
    // `--cluster-id=<id>`, not `-t <id>`: one id in 64 starts with '-', and argparse then reads it as an option.
    execFileSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', properties], { stdio: 'pipe' });
  }
  // Started again if it dies, as a StatefulSet would: the crash test kills it with -9 mid-burst.
  supervisor.start({ name: 'kafka', tier: 0, command: 'java', args: [...jvm, 'kafka.Kafka', properties], cwd: DIR, restartOnExit: true });
  await waitUntil('Kafka', brokerAnswers, 90_000, 250);
  return 'started';
}

/** The port opens before the broker has a controller; a metadata round trip proves it serves. */
async function brokerAnswers(): Promise<boolean> {
  if (!(await isPortOpen(KAFKA.port))) return false;
  const admin = new Kafka({ brokers: [`127.0.0.1:${KAFKA.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } finally {
    await admin.disconnect();
  }
}

function writeServerProperties(): string {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, 'server.properties');
  writeFileSync(
    file,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${KAFKA.controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${KAFKA.port},CONTROLLER://127.0.0.1:${KAFKA.controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA.port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${join(DIR, 'log')}`,
      // Several partitions so the orderId key really spreads orders, yet keeps each order's events in order.
      `num.partitions=${KAFKA.partitions}`,
      'auto.create.topics.enable=true',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=4',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      // Consumers join at once instead of waiting 3 s for more group members.
      'group.initial.rebalance.delay.ms=0',
      'log.retention.hours=168',
    ].join('\n') + '\n',
  );
  return file;
}

function writeLog4j(): string {
  const file = join(DIR, 'log4j.properties');
  writeFileSync(
    file,
    [
      'log4j.rootLogger=WARN, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka.server.KafkaServer=INFO',
      'log4j.logger.kafka.server.BrokerServer=INFO',
    ].join('\n') + '\n',
  );
  return file;
}

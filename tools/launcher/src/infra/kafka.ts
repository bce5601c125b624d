import { execFileSync } from 'node:child_process';
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { DATA_DIR, type Toolchain } from '../paths.js';
import { isPortOpen, waitUntil } from '../readiness.js';
import type { LocalSecrets, StoreLogins } from '../secrets.js';
import type { Supervisor } from '../supervisor.js';
import { syncAcls, ensureTopics } from './kafka-acls.js';
import { INFRA_PORTS } from './ports.js';

export const KAFKA = { port: INFRA_PORTS.kafka, controllerPort: INFRA_PORTS.kafkaController, partitions: 4 } as const;
/** The SASL mechanism every client uses (Dapr's `saslMechanism: SHA-512`, kafkajs' `scram-sha-512`). */
export const KAFKA_SASL_MECHANISM = 'SCRAM-SHA-512';
export const KAFKA_ADMIN_USER = 'admin';
const DIR = join(DATA_DIR, 'kafka');
/** Which SCRAM users (and which password, as a fingerprint) the broker's metadata holds: kept beside the data. */
const USERS_FILE = join(DIR, 'scram-users.json');
const SCRAM_ITERATIONS = 4096;

/** The login the launcher's, the benchmarks' and the tests' own Kafka clients use: the super user. */
export const kafkaAdminSasl = (secrets: LocalSecrets): SASLOptions => ({
  mechanism: 'scram-sha-512',
  username: KAFKA_ADMIN_USER,
  password: secrets['kafka-admin-password'],
});

function kafkaAdminClient(secrets: LocalSecrets): Kafka {
  return new Kafka({
    clientId: 'burger-launcher',
    brokers: [`127.0.0.1:${KAFKA.port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    sasl: kafkaAdminSasl(secrets),
  });
}

/**
 * The real Apache Kafka broker, single-node KRaft (broker + controller) on loopback, with
 * authentication (SASL/SCRAM-SHA-512, a user per app-id) and authorisation (StandardAuthorizer,
 * nothing allowed without an ACL). Topics are created here, before any app starts, and the
 * apps get no CREATE: see kafka-acls.ts for why.
 */
export async function ensureKafka(
  supervisor: Supervisor,
  tools: Toolchain,
  { secrets, users, grants }: StoreLogins,
): Promise<'reused' | 'started'> {
  if (await isPortOpen(KAFKA.port)) return 'reused';
  const properties = writeServerProperties(secrets);
  const classpath = `${tools.kafkaLibs}/*`;
  const jvm = [
    '-Xms256m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    `-Dlog4j.configuration=file:${writeLog4j()}`,
    `-Dkafka.logs.dir=${DIR}`,
    '-cp',
    classpath,
  ];
  const passwords = new Map([
    [KAFKA_ADMIN_USER, secrets['kafka-admin-password']],
    ...[...users].map(([user, c]) => [user, c['kafka-password']] as const),
  ]);
  // Data formatted before the broker had users (no users file) cannot be logged into: start it afresh.
  if (existsSync(join(DIR, 'log', 'meta.properties')) && !existsSync(USERS_FILE))
    rmSync(join(DIR, 'log'), { recursive: true, force: true });
  if (!existsSync(join(DIR, 'log', 'meta.properties'))) {
    const clusterId = randomBytes(16).toString('base64url');
    // `--cluster-id=<id>`, not `-t <id>`: one id in 64 starts with '-', and argparse then reads it as an option.
    // Every user is in the metadata from the first record on, as salted SCRAM credentials (no password on a command line).
    const scram = [...passwords].flatMap(([user, password]) => ['--add-scram', scramCredential(user, password)]);
    execFileSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', properties, ...scram], {
      stdio: 'pipe',
    });
    writeUsersFile(passwords);
  }
  // Started again if it dies, as a StatefulSet would: the crash test kills it with -9 mid-burst.
  supervisor.start({ name: 'kafka', tier: 0, command: 'java', args: [...jvm, 'kafka.Kafka', properties], cwd: DIR, restartOnExit: true });
  await waitUntil('Kafka', () => brokerAnswers(secrets), 90_000, 250);
  await addChangedUsers(jvm, secrets, passwords);
  const admin = kafkaAdminClient(secrets).admin();
  await admin.connect();
  try {
    await ensureTopics(admin, KAFKA.partitions);
    await syncAcls(admin, grants);
  } finally {
    await admin.disconnect();
  }
  return 'started';
}

/** The port opens before the broker has a controller; a metadata round trip (logged in) proves it serves. */
async function brokerAnswers(secrets: LocalSecrets): Promise<boolean> {
  if (!(await isPortOpen(KAFKA.port))) return false;
  const admin = kafkaAdminClient(secrets).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } finally {
    await admin.disconnect();
  }
}

/** StorageTool's `--add-scram` value: the salted password (RFC 5802 Hi = PBKDF2), so the password itself never leaves this process. */
function scramCredential(user: string, password: string): string {
  const salt = randomBytes(32);
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 64, 'sha512');
  return `${KAFKA_SASL_MECHANISM}=[name=${user},iterations=${SCRAM_ITERATIONS},salt="${salt.toString('base64')}",saltedpassword="${salted.toString('base64')}"]`;
}

const fingerprint = (user: string, password: string) => createHash('sha256').update(`${user}\0${password}`).digest('hex');

function writeUsersFile(passwords: ReadonlyMap<string, string>): void {
  writeFileSync(
    USERS_FILE,
    JSON.stringify(Object.fromEntries([...passwords].map(([user, pw]) => [user, fingerprint(user, pw)])), null, 2),
    { mode: 0o600 },
  );
}

/**
 * A user added (a new app-id) or a password changed since the data was formatted: set it through
 * the admin API (kafka-configs' ConfigCommand; kafkajs has no AlterUserScramCredentials). Rare, so
 * one JVM per user is fine; the password goes through a mode-600 file, not the command line.
 */
async function addChangedUsers(jvm: string[], secrets: LocalSecrets, passwords: ReadonlyMap<string, string>): Promise<void> {
  const known = JSON.parse(readFileSync(USERS_FILE, 'utf8')) as Record<string, string>;
  const changed = [...passwords].filter(([user, password]) => known[user] !== fingerprint(user, password));
  if (changed.length === 0) return;
  const clientConfig = join(DIR, 'admin-client.properties');
  writeFileSync(
    clientConfig,
    [
      'security.protocol=SASL_PLAINTEXT',
      `sasl.mechanism=${KAFKA_SASL_MECHANISM}`,
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_ADMIN_USER}" password="${secrets['kafka-admin-password']}";`,
    ].join('\n') + '\n',
    { mode: 0o600 },
  );
  const configFile = join(DIR, 'scram-user.properties');
  try {
    for (const [user, password] of changed) {
      writeFileSync(configFile, `${KAFKA_SASL_MECHANISM}=[iterations=${SCRAM_ITERATIONS},password=${password}]\n`, { mode: 0o600 });
      execFileSync(
        'java',
        [
          ...jvm,
          'kafka.admin.ConfigCommand',
          '--bootstrap-server',
          `127.0.0.1:${KAFKA.port}`,
          '--command-config',
          clientConfig,
          '--alter',
          '--entity-type',
          'users',
          '--entity-name',
          user,
          '--add-config-file',
          configFile,
        ],
        { stdio: 'pipe' },
      );
    }
  } finally {
    rmSync(configFile, { force: true });
    rmSync(clientConfig, { force: true });
  }
  writeUsersFile(passwords);
}

function writeServerProperties(secrets: LocalSecrets): string {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, 'server.properties');
  const controller = secrets['kafka-controller-password'];
  writeFileSync(
    file,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${KAFKA.controllerPort}`,
      // Every listener authenticates: clients and the broker itself with SCRAM, the controller
      // listener with PLAIN (SCRAM users live in the metadata the controller serves, KIP-900).
      `listeners=SASL_PLAINTEXT://127.0.0.1:${KAFKA.port},CONTROLLER://127.0.0.1:${KAFKA.controllerPort}`,
      `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${KAFKA.port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=SASL_PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
      `sasl.enabled.mechanisms=${KAFKA_SASL_MECHANISM}`,
      `sasl.mechanism.inter.broker.protocol=${KAFKA_SASL_MECHANISM}`,
      `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_ADMIN_USER}" password="${secrets['kafka-admin-password']}";`,
      'sasl.mechanism.controller.protocol=PLAIN',
      'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
      `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="${controller}" user_controller="${controller}";`,
      // Authorisation: an ACL or nothing. Only the broker's own logins are super users.
      'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      `super.users=User:${KAFKA_ADMIN_USER};User:controller`,
      'allow.everyone.if.no.acl.found=false',
      `log.dirs=${join(DIR, 'log')}`,
      // Several partitions so the orderId key really spreads orders, yet keeps each order's events in order.
      `num.partitions=${KAFKA.partitions}`,
      // Topics are created by the launcher (kafka-acls.ts): a typo or a forged name creates nothing.
      'auto.create.topics.enable=false',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=4',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      // Consumers join at once instead of waiting 3 s for more group members.
      'group.initial.rebalance.delay.ms=0',
      'log.retention.hours=168',
    ].join('\n') + '\n',
    { mode: 0o600 },
  );
  chmodSync(file, 0o600); // it holds the broker's own passwords
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
      // Refused logins and refused operations, so an attack on the broker leaves a trace in .run/logs/kafka.log.
      'log4j.logger.kafka.authorizer.logger=INFO',
      'log4j.logger.org.apache.kafka.common.security.authenticator=INFO',
    ].join('\n') + '\n',
  );
  return file;
}

import type { DaprClient } from '@dapr/dapr';
import { AnyEvent } from '@burger/contracts';
import { publishEvent } from './events.js';
import type { Logger } from './logger.js';
import { runPeriodically } from './periodic.js';
import { DaprStateStore, type StateWrite } from './state-store.js';

/** What the outbox keeps beside the business record until the event is on the broker. */
interface OutboxEntry {
  kind: 'outbox';
  event: AnyEvent;
  storedAt: string;
}

export interface OutboxOptions {
  /** How often leftovers are looked for (a process that died between commit and publish). */
  sweepEveryMs?: number;
  /** Entries younger than this are still being relayed by the request that wrote them. */
  leftoverAfterMs?: number;
}

/**
 * Transactional outbox on a Dapr state store: the event is written in the same
 * state transaction as the business record (`entryFor`), then published with its
 * partition key and deleted (`relay`). If the process dies in between, the
 * periodic sweep finds the entry through the state Query API and publishes it.
 * Consumers are idempotent on eventId and event ids are derived per order, so a
 * publish repeated by the sweep (or by two replicas sweeping) is harmless.
 *
 * Why not Dapr's own outbox (`outboxPublishPubsub`): in dapr 1.18 it publishes
 * without metadata, so the orderId partition key (per-order ordering) is lost,
 * one store feeds exactly one topic, and every message waits a fixed 1 s
 * (`defaultStateScanDelay` in pkg/runtime/pubsub/outbox.go) before it is published.
 */
export class TransactionalOutbox {
  private readonly store: DaprStateStore<OutboxEntry>;
  private stopSweeping: (() => void) | undefined;

  constructor(
    client: DaprClient,
    storeName: string,
    private readonly logger: Logger,
    private readonly options: OutboxOptions = {},
  ) {
    this.store = new DaprStateStore(client, storeName);
  }

  /** The write to add to the business transaction. Validates the event first: a broken one is never stored. */
  entryFor(event: AnyEvent, now = new Date()): StateWrite {
    AnyEvent.parse(event);
    const entry: OutboxEntry = { kind: 'outbox', event, storedAt: now.toISOString() };
    return { key: entryKey(event), value: entry };
  }

  /**
   * Publishes a committed event and forgets it, waiting at most `waitMs` (a broker
   * outage must not hold the request that committed). Never throws: once the record
   * is committed the event is owed, and the sweep pays the debt if this fails.
   */
  async relayWithin(event: AnyEvent, waitMs = 1000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.relay(event), new Promise((done) => (timer = setTimeout(done, waitMs)))]);
    clearTimeout(timer);
  }

  async relay(event: AnyEvent): Promise<void> {
    try {
      await publishEvent(event);
      await this.store.delete(entryKey(event));
    } catch (error) {
      this.logger.warn({ err: error, eventId: event.eventId, type: event.type }, 'outbox relay failed; the sweep will publish it');
    }
  }

  /** Publishes everything left behind, oldest first; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const before = new Date(now - (this.options.leftoverAfterMs ?? 3000)).toISOString();
    const leftovers = (await this.store.findEqual('kind', 'outbox', 'storedAt')).filter(({ value }) => value.storedAt < before);
    for (const { value } of leftovers) await this.relay(value.event);
    if (leftovers.length > 0) this.logger.info({ relayed: leftovers.length }, 'outbox sweep published leftovers');
    return leftovers.length;
  }

  /** Sweeps at once (a restart after a crash) and then periodically until `stop`. */
  start(): void {
    this.stopSweeping = runPeriodically('outbox sweep', this.options.sweepEveryMs ?? 2000, () => this.sweep(), this.logger);
  }

  stop(): void {
    this.stopSweeping?.();
  }
}

const entryKey = (event: AnyEvent) => `outbox-${event.eventId}`;

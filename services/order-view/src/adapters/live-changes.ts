import { EventEmitter } from 'node:events';
import type { OrderSummary } from '../domain/order-summary.js';
import type { ViewChanges } from '../application/ports.js';

/** In-process fan-out of view changes to the open SSE streams of this replica. */
export class EmitterViewChanges implements ViewChanges {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(summary: OrderSummary): void {
    this.emitter.emit('change', summary);
  }

  subscribe(listener: (summary: OrderSummary) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}

import { takeStep, type CookingTicket, type KitchenStep } from '../domain/store-queue.js';
import type { Clock, KitchenEvents, StoreQueueRepository } from './ports.js';
import { updateQueue } from './queue-writer.js';

const ANNOUNCEMENT = { startCooking: 'CookingStarted', startDelivery: 'DeliveryStarted', markDelivered: 'OrderDelivered' } as const;

/** Store staff move an order through the kitchen: start cooking, send it out, mark it delivered. */
export class KitchenSteps {
  constructor(private readonly deps: { queues: StoreQueueRepository; events: KitchenEvents; clock: Clock }) {}

  async execute(storeId: string, orderId: string, step: KitchenStep): Promise<CookingTicket> {
    const ticket = await updateQueue(this.deps.queues, storeId, (queue) => {
      const outcome = takeStep(queue, orderId, step, this.deps.clock.now());
      return { save: outcome.done ? outcome.queue : undefined, result: outcome.ticket };
    });
    // Also on a repeated step: announcing again is what repairs a lost announcement.
    await this.deps.events.announce({ type: ANNOUNCEMENT[step], ticket });
    return ticket;
  }
}

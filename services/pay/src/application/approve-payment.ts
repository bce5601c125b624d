import { approveCharge, ConflictingCharge, sameCharge, type Payment } from '../domain/payment.js';
import { PaymentAlreadyRecorded, type Clock, type IdGenerator, type PaymentRepository } from './ports.js';

export interface ApprovePaymentCommand {
  orderId: string;
  customerId: string;
  storeId: string;
  amountCents: number;
}

/**
 * Approves a charge, idempotently per order: the caller's sidecar retries on
 * timeouts, and a retry must return the first payment, never charge again.
 * PaymentApproved is stored with the payment and published after the answer.
 */
export class ApprovePayment {
  constructor(private readonly deps: { payments: PaymentRepository; clock: Clock; ids: IdGenerator }) {}

  /** A first charge costs no read of its own: the insert reads the order's key anyway, and says when a payment is there. */
  async execute(command: ApprovePaymentCommand): Promise<{ payment: Payment; created: boolean }> {
    const payment = approveCharge(command, this.deps.ids.next(), this.deps.clock.now());
    try {
      await this.deps.payments.insert(payment);
    } catch (error) {
      if (!(error instanceof PaymentAlreadyRecorded)) throw error;
      const winner = error.existing ?? (await this.deps.payments.findByOrder(command.orderId));
      if (!winner) throw error;
      return { payment: this.replay(winner, command), created: false };
    }
    return { payment, created: true };
  }

  private replay(existing: Payment, command: ApprovePaymentCommand): Payment {
    if (!sameCharge(existing, command)) throw new ConflictingCharge(`order ${command.orderId} was already charged a different amount`);
    return existing;
  }
}

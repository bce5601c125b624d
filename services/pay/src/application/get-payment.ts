import type { Payment } from '../domain/payment.js';
import type { PaymentRepository } from './ports.js';

export class PaymentNotFound extends Error {}

export class GetPayment {
  constructor(private readonly payments: PaymentRepository) {}

  async execute(orderId: string): Promise<Payment> {
    const payment = await this.payments.findByOrder(orderId);
    if (!payment) throw new PaymentNotFound(`No payment for order ${orderId}`);
    return payment;
  }
}

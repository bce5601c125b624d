import type { Payment } from '../domain/payment.js';
import type { PaymentRepository } from './ports.js';

export class PaymentHistory {
  constructor(private readonly payments: PaymentRepository) {}

  async forCustomer(customerId: string): Promise<Payment[]> {
    return this.payments.listByCustomer(customerId);
  }
}

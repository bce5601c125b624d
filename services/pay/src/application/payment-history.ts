import type { HistoryPage, PaymentRepository } from './ports.js';

export class PaymentHistory {
  constructor(private readonly payments: PaymentRepository) {}

  async forCustomer(customerId: string, page: { limit: number; cursor?: string | undefined }): Promise<HistoryPage> {
    return this.payments.listByCustomer(customerId, page);
  }
}

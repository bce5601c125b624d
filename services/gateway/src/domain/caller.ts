import type { Role } from '@burger/contracts';

/** Who is calling, as a verified access token says. */
export interface Caller {
  readonly accountId: string;
  readonly role: Role;
  /** Staff only: the branch whose kitchen they operate. */
  readonly branch?: string;
}

/** The caller is signed in but not allowed to do this (403). */
export class NotAllowed extends Error {}

/** The rules of who may do what; every route asks here, nowhere else. */
export const AccessPolicy = {
  /** Only customers order, and always for themselves: their customerId is their account. */
  customerIdOf(caller: Caller): string {
    if (caller.role !== 'customer') throw new NotAllowed('Only customers can do this');
    return caller.accountId;
  },

  /** Staff operate their own branch's kitchen, and only that one. */
  kitchenOf(caller: Caller): string {
    if (caller.role !== 'staff' || !caller.branch) throw new NotAllowed('Only kitchen staff can do this');
    return caller.branch;
  },

  /** A customer sees their own orders only; for anyone else the order does not exist (404, not 403: no probing). */
  canSeeOrder(caller: Caller, order: { customerId: string }): boolean {
    return caller.role === 'customer' && order.customerId === caller.accountId;
  },
};

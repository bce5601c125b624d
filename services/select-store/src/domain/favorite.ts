import { BRANCHES as ALL_BRANCHES, type Branch } from '@burger/contracts';

/** The branches customers can choose from: the one list in contracts, which order checks orders against too. */
export const BRANCHES: readonly Branch[] = ALL_BRANCHES;

export class UnknownBranch extends Error {
  constructor(readonly storeId: string) {
    super(`"${storeId}" is not one of our branches`);
  }
}

/** A customer's favourite branch. */
export interface Favorite {
  readonly customerId: string;
  readonly storeId: string;
  readonly selectedAt: string;
}

/** Choosing a favourite. Choosing the same branch again changes nothing (`changed: false`). */
export function chooseFavorite(
  current: Favorite | undefined,
  customerId: string,
  storeId: string,
  now: Date,
): { favorite: Favorite; changed: boolean } {
  if (!BRANCHES.some((b) => b.storeId === storeId)) throw new UnknownBranch(storeId);
  if (current?.storeId === storeId) return { favorite: current, changed: false };
  return { favorite: { customerId, storeId, selectedAt: now.toISOString() }, changed: true };
}

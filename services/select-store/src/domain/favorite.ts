import type { Branch } from '@burger/contracts';

/** The branches customers can choose from. */
export const BRANCHES: readonly Branch[] = [
  { storeId: 'gangnam', name: 'Gangnam Station', address: '396 Gangnam-daero, Gangnam-gu, Seoul' },
  { storeId: 'jongno', name: 'Jongno 3-ga', address: '110 Jongno, Jongno-gu, Seoul' },
  { storeId: 'hongdae', name: 'Hongik Univ.', address: '188 Yanghwa-ro, Mapo-gu, Seoul' },
  { storeId: 'jamsil', name: 'Jamsil Lotte', address: '240 Olympic-ro, Songpa-gu, Seoul' },
  { storeId: 'yeouido', name: 'Yeouido IFC', address: '10 Gukjegeumyung-ro, Yeongdeungpo-gu, Seoul' },
];

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
export function chooseFavorite(current: Favorite | undefined, customerId: string, storeId: string, now: Date): { favorite: Favorite; changed: boolean } {
  if (!BRANCHES.some((b) => b.storeId === storeId)) throw new UnknownBranch(storeId);
  if (current?.storeId === storeId) return { favorite: current, changed: false };
  return { favorite: { customerId, storeId, selectedAt: now.toISOString() }, changed: true };
}

import type { Role } from '@burger/contracts';

/** Someone who can sign in: a customer ordering for themselves, or staff of one branch's kitchen. */
export interface Account {
  /** The subject of their tokens; for customers also their customerId in every service. */
  readonly accountId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** Staff only: the branch (storeId) whose kitchen they operate. */
  readonly branch?: string;
}

/** The claims every access token carries about its subject (the gateway decides with them). */
export function accessClaims(account: Account): { role: Role; branch?: string; name: string } {
  return { role: account.role, name: account.displayName, ...(account.branch ? { branch: account.branch } : {}) };
}

/**
 * The demo accounts. Two customers (so a test can show one cannot see the other's
 * orders) and staff for two branches (so one cannot work the other's kitchen).
 * Their password is not here: it is a generated secret (see the README).
 */
export const DEMO_ACCOUNTS: readonly Account[] = [
  { accountId: 'kim', username: 'kim', displayName: 'Kim Minji', role: 'customer' },
  { accountId: 'lee', username: 'lee', displayName: 'Lee Junho', role: 'customer' },
  { accountId: 'staff-gangnam', username: 'park', displayName: 'Park Seoyeon (Gangnam kitchen)', role: 'staff', branch: 'gangnam' },
  { accountId: 'staff-jongno', username: 'choi', displayName: 'Choi Dohyun (Jongno kitchen)', role: 'staff', branch: 'jongno' },
];

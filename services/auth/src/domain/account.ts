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

/** Upper bound of `loadTestAccounts`: a benchmark's directory, not a user base. */
export const MAX_LOAD_TEST_ACCOUNTS = 256;

/**
 * Customers `load-001` … `load-<count>`, for the benchmark only (`npm run bench:gateway`
 * sets LOAD_TEST_ACCOUNTS; nothing else does, so by default there are none). They sign
 * in with the demo password, like the demo accounts, and the real per-account and
 * per-address rate limits apply to them: four demo accounts at 300 requests a minute
 * cannot carry a load test, sixty-four can.
 */
export function loadTestAccounts(count: number): Account[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_LOAD_TEST_ACCOUNTS) {
    throw new Error(`LOAD_TEST_ACCOUNTS must be a whole number from 0 to ${MAX_LOAD_TEST_ACCOUNTS}, not ${count}`);
  }
  return Array.from({ length: count }, (_, k) => {
    const username = `load-${String(k + 1).padStart(3, '0')}`;
    return { accountId: username, username, displayName: `Load test ${k + 1}`, role: 'customer' as const };
  });
}

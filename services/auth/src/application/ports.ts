import type { Account } from '../domain/account.js';

/** Where accounts live and how a password is checked (the demo directory; an LDAP or user DB would fit here). */
export interface AccountDirectory {
  byId(accountId: string): Promise<Account | undefined>;
  /** The account when the username exists and the password is right; undefined otherwise (never says which). */
  authenticate(username: string, password: string): Promise<Account | undefined>;
}

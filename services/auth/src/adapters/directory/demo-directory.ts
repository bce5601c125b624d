import { scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import type { AccountDirectory } from '../../application/ports.js';
import type { Account } from '../../domain/account.js';

/**
 * The demo accounts with one shared password that only exists as a generated secret.
 * Only its scrypt hash is kept in memory, and every check costs the same whether the
 * username exists or not (no user enumeration by timing).
 */
export class DemoDirectory implements AccountDirectory {
  private readonly salt = randomBytes(16);
  private readonly hash: Buffer;

  constructor(
    private readonly accounts: readonly Account[],
    password: string,
  ) {
    this.hash = scryptSync(password, this.salt, 32);
  }

  async byId(accountId: string): Promise<Account | undefined> {
    return this.accounts.find((a) => a.accountId === accountId);
  }

  async authenticate(username: string, password: string): Promise<Account | undefined> {
    const account = this.accounts.find((a) => a.username === username.trim().toLowerCase());
    const matches = timingSafeEqual(scryptSync(password, this.salt, 32), this.hash);
    return account && matches ? account : undefined;
  }
}

import { describe, expect, it } from 'vitest';
import { DemoDirectory } from '../src/adapters/directory/demo-directory.js';
import { accessClaims, DEMO_ACCOUNTS, loadTestAccounts, MAX_LOAD_TEST_ACCOUNTS } from '../src/domain/account.js';

describe('demo account directory', () => {
  const directory = new DemoDirectory(DEMO_ACCOUNTS, 'correct horse');

  it('signs in with the right password only, and says nothing about which part was wrong', async () => {
    expect((await directory.authenticate('kim', 'correct horse'))?.accountId).toBe('kim');
    expect(await directory.authenticate('kim', 'wrong')).toBeUndefined();
    expect(await directory.authenticate('nobody', 'correct horse')).toBeUndefined();
  });

  it('puts the role and, for staff, the branch into the access claims', async () => {
    expect(accessClaims((await directory.byId('staff-gangnam'))!)).toMatchObject({ role: 'staff', branch: 'gangnam' });
    expect(accessClaims((await directory.byId('kim'))!)).not.toHaveProperty('branch');
  });

  it('has no load-test accounts unless asked, and only customers when asked', async () => {
    expect(loadTestAccounts(0)).toEqual([]);
    const load = loadTestAccounts(64);
    expect(load.map((a) => a.username).slice(0, 2)).toEqual(['load-001', 'load-002']);
    expect(new Set(load.map((a) => a.role))).toEqual(new Set(['customer']));
    const withLoad = new DemoDirectory([...DEMO_ACCOUNTS, ...load], 'correct horse');
    expect((await withLoad.authenticate('load-064', 'correct horse'))?.accountId).toBe('load-064');
    expect(await directory.authenticate('load-001', 'correct horse')).toBeUndefined();
  });

  it('refuses a load-test directory that is not a small whole number', () => {
    for (const bad of [-1, 1.5, Number.NaN, MAX_LOAD_TEST_ACCOUNTS + 1]) expect(() => loadTestAccounts(bad)).toThrow(/LOAD_TEST_ACCOUNTS/);
  });
});

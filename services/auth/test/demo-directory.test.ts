import { describe, expect, it } from 'vitest';
import { DemoDirectory } from '../src/adapters/directory/demo-directory.js';
import { accessClaims, DEMO_ACCOUNTS } from '../src/domain/account.js';

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
});

import { execFileSync } from 'node:child_process';

/**
 * PostgreSQL refuses to run as root. When the launcher runs as root (CI, this
 * project's build machines) servers run as the Debian package's service user;
 * a normal user runs them as itself.
 */
export function asServiceUser(user: string, command: string, args: string[]): { command: string; args: string[] } {
  if (process.getuid?.() !== 0) return { command, args };
  return { command: 'runuser', args: ['-u', user, '--', command, ...args] };
}

export function serviceUserOwns(user: string, ...paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  execFileSync('chown', ['-R', `${user}:${user}`, ...paths]);
}

import { readFileSync } from 'node:fs';
import { AUTH_SECRETS_FILE } from './secrets.js';
import { signIn } from './sign-in.js';

/** `npm run sign-in -- <username>`: prints an access token for a demo account (curl -H "authorization: Bearer $(…)"). */
const username = process.argv[2];
if (!username) {
  console.error('usage: npm run -s sign-in -- <kim|lee|park|choi>');
  process.exit(2);
}
const password = (JSON.parse(readFileSync(AUTH_SECRETS_FILE, 'utf8')) as { 'demo-password': string })['demo-password'];
signIn(username, password)
  .then((tokens) => console.log(tokens.access_token))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });

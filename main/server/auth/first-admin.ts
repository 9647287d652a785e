// First start: creates user "admin" with ARGUS_ADMIN_PASSWORD or a generated password printed once.
import { StorageError, type Store, type UserRow } from '../../../storage/repositories';
import { settingFromEnv } from '../../config';
import { checkPassword } from '../accounts/policy';
import { hashPassword, randomPassword } from './passwords';

function box(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '═'.repeat(width + 2);
  return ['╔' + bar + '╗', ...lines.map((l) => '║ ' + l.padEnd(width) + ' ║'), '╚' + bar + '╝'].join('\n');
}
/**
 * On first start (no users at all) creates user "admin" (role admin) with the password from
 * ARGUS_ADMIN_PASSWORD, or a random 16-character one printed once in a box. Returns whether it created one.
 */
export async function ensureAdmin(
  store: Store,
  log: (msg: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): Promise<boolean> {
  if ((await store.users.count()) > 0) return false;
  // Validated by its declaration (main/platform/settings.ts), then by the same policy as any password set in the console
  // (length, not the user name, not a common one): a refusal stops the start, naming ARGUS_ADMIN_PASSWORD.
  const fromEnv = settingFromEnv('adminPassword', env);
  const refusal = fromEnv ? checkPassword(fromEnv, 'admin') : null;
  if (refusal)
    throw new Error(`ARGUS_ADMIN_PASSWORD is refused by the password policy (${refusal.code}): it ${refusal.message}. Choose another and start again.`);
  const password = fromEnv ? fromEnv : randomPassword(16);
  let user: UserRow;
  try {
    user = await store.users.create({
      username: 'admin',
      passwordHash: await hashPassword(password),
      role: 'admin',
      displayName: '', // no English name made up by the server: the console shows the user name "admin" and the role in the user's language
      disabled: false,
      createdMs: now(),
      // A generated password was printed on the server's console: its user must replace it at the first sign-in.
      mustChangePassword: !fromEnv,
    });
  } catch (e) {
    if (e instanceof StorageError && e.code === 'conflict') return false; // created concurrently
    throw e;
  }
  const source = fromEnv ? 'ARGUS_ADMIN_PASSWORD' : 'generated';
  await store.audit.append({
    tsMs: now(),
    userId: null,
    username: null,
    action: 'user.create',
    targetType: 'user',
    targetId: String(user.id),
    detail: { username: 'admin', role: 'admin', passwordSource: source },
    ip: null,
  });
  if (fromEnv) log('[auth] created the first user "admin" with the password from ARGUS_ADMIN_PASSWORD');
  else
    log(
      '\n' +
        box([
          'Argus: first start - created the administrator account',
          '',
          '  username: admin',
          `  password: ${password}`,
          '',
          'This password is shown only once. Sign in: Argus asks you',
          'to change it at once (or set ARGUS_ADMIN_PASSWORD before',
          'the first start).',
        ]) +
        '\n',
    );
  return true;
}

import type { Command } from 'commander';
import { withRuntime } from '../runtime';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .description('create an API key and print it once (only its hash is stored)')
    .requiredOption('--role <role>', 'frontend | partner | analyst | admin')
    .option('--partner <partnerId>', 'the partner a partner key belongs to')
    .option('--label <label>', 'a note on what the key is for')
    .option('--quiet', 'print only the key')
    .action(async (options: { role: string; partner?: string; label?: string; quiet?: boolean }) => {
      await withRuntime(async ({ services }) => {
        const created = await services.apiKeys.create({ role: options.role, partnerId: options.partner, label: options.label });
        if (options.quiet) console.log(created.key);
        else console.log(`${created.role} key ${created.id} (shown once, store it now):\n${created.key}`);
      });
    });
  keys
    .command('revoke <idOrKey>')
    .description('revoke a key (by id or the key itself); every replica refuses it within API_KEY_CACHE_MS')
    .action(async (idOrKey: string) => {
      await withRuntime(async ({ services }) => {
        const revoked = await services.apiKeys.revoke(idOrKey);
        console.log(`revoked ${revoked.role} key ${revoked.id}; refused everywhere within ${services.config.auth.keyCacheMs} ms`);
      });
    });
  keys
    .command('rotate <idOrKey>')
    .description('issue a new key with the same role, partner and label, then revoke the old one')
    .action(async (idOrKey: string) => {
      await withRuntime(async ({ services }) => {
        const rotated = await services.apiKeys.rotate(idOrKey);
        console.log(`${rotated.role} key ${rotated.id} (shown once, store it now), replacing ${rotated.revokedId}:\n${rotated.key}`);
      });
    });
}

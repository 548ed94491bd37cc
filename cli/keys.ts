import type { Command } from 'commander';
import { API_SCOPES, type ApiScope } from '../storage/api-keys.types.ts';
import { CLIENT_ID_RE, DEFAULT_CLIENT_ID } from '../storage/clients.types.ts';
import { loadConfigOrExit } from './config-file.ts';

/** `konveyer keys create --scopes submit,read --name X [--client billing] | list | revoke <id>`: API keys. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description(`API keys (scopes: ${API_SCOPES.join(', ')}); stored as SHA-256, the token is shown once`);

  keys
    .command('create')
    .requiredOption('--name <name>', 'who or what uses the key')
    .requiredOption('--scopes <list>', `comma-separated: ${API_SCOPES.join(', ')} (all-clients: every client's data; pii: personal data unmasked)`)
    .option('--client <id>', 'the client system the key belongs to (its lookups, idempotency keys, records, webhooks)', DEFAULT_CLIENT_ID)
    .action(async (opts: { name: string; scopes: string; client: string }) => {
      if (!CLIENT_ID_RE.test(opts.client)) {
        process.stderr.write(`--client: "${opts.client}" is not a client id; expected 1–64 lower-case letters, digits, _ or - (starting with a letter or digit)\n`);
        process.exitCode = 2;
        return;
      }
      const scopes = opts.scopes.split(',').map((s) => s.trim()).filter(Boolean);
      const wrong = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
      if (scopes.length === 0 || wrong.length > 0) {
        process.stderr.write(`--scopes: unknown scope(s) ${wrong.join(', ') || '(none given)'}; expected ${API_SCOPES.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      await withFarm(async (farm) => {
        const { key, token } = await farm.storage.apiKeys.create({ name: opts.name, scopes: scopes as ApiScope[], clientId: opts.client });
        process.stdout.write(`${JSON.stringify({ id: key._id, name: key.name, client: key.clientId, scopes: key.scopes, token }, null, 2)}\n`);
        process.stderr.write('Keep the token now: it is stored only as a hash and cannot be shown again.\n');
      });
    });

  keys.command('list').action(async () => {
    await withFarm(async (farm) => {
      for (const k of await farm.storage.apiKeys.list()) {
        process.stdout.write(`${k._id}\t${k.revokedAt ? 'revoked' : 'active '}\t${k.clientId}\t${k.scopes.join(',')}\t${k.name}\t${k.createdAt.toISOString()}\n`);
      }
    });
  });

  keys
    .command('revoke')
    .argument('<id>', 'key id (from `keys list`)')
    .action(async (id: string) => {
      await withFarm(async (farm) => {
        const done = await farm.storage.apiKeys.revoke(id);
        // Its UI logins end with it (they would be refused anyway: each request re-reads the key).
        if (done) await farm.storage.uiSessions.endForKey(id);
        process.stdout.write(done ? `revoked ${id}\n` : `no active key ${id}\n`);
        if (!done) process.exitCode = 2;
      });
    });
}

async function withFarm(fn: (farm: Awaited<ReturnType<typeof import('../runtime/farm.ts').openFarm>>) => Promise<void>): Promise<void> {
  const { openFarm } = await import('../runtime/farm.ts');
  const farm = await openFarm(loadConfigOrExit());
  try {
    await fn(farm);
  } finally {
    await farm.close();
  }
}

import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from './config';
import { openDatabase } from './db/data-source';
import { AgentService } from './domain/agents.service';
import { AccountService, ApiKeyService } from './domain/api-keys.service';

const USAGE = `Usage: npm run hookline -- <command> [options]
  migrate                                  run pending migrations
  accounts:create --name <name>            create an account and its first API key
  keys:create --account <id|name> [--name <key name>]
  keys:revoke --account <id|name> --id <key id>
  agents:create --account <id|name> --id <agent id> --name <name>`;

/** Operator commands against the configured database (DATABASE_URL). */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, account: { type: 'string' }, id: { type: 'string' } } });
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const ds = await openDatabase(loadConfig().database);
  try {
    const accounts = new AccountService(ds);
    const keys = new ApiKeyService(ds);
    const findAccount = async (ref?: string) => {
      if (!ref) throw new Error('--account is required');
      const acc = (await accounts.findByName(ref)) ?? (await accounts.findById(ref));
      if (!acc) throw new Error(`no account ${ref}`);
      return acc;
    };
    switch (command) {
      case 'migrate':
        console.log('migrations are up to date');
        return 0;
      case 'accounts:create': {
        if (!values.name) throw new Error('--name is required');
        const account = await accounts.create(values.name);
        const { token } = await keys.create(account.id, 'default');
        console.log(`account ${account.id} (${account.name})\nAPI key (shown once): ${token}`);
        return 0;
      }
      case 'keys:create': {
        const account = await findAccount(values.account);
        const { apiKey, token } = await keys.create(account.id, values.name ?? 'cli');
        console.log(`key ${apiKey.id} for account ${account.name}\nAPI key (shown once): ${token}`);
        return 0;
      }
      case 'keys:revoke': {
        const account = await findAccount(values.account);
        if (!values.id) throw new Error('--id is required');
        const key = await keys.revoke(account.id, values.id);
        console.log(`revoked key ${key.id}`);
        return 0;
      }
      case 'agents:create': {
        const account = await findAccount(values.account);
        if (!values.id) throw new Error('--id is required');
        const agent = await new AgentService(ds).upsert(account.id, { id: values.id, name: values.name });
        console.log(`agent ${agent.id} (${agent.name}) for account ${account.name}`);
        return 0;
      }
      default:
        console.error(`unknown command ${command}\n${USAGE}`);
        return 1;
    }
  } finally {
    await ds.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    const fields = (err as { fieldErrors?: unknown }).fieldErrors;
    console.error(err instanceof Error ? err.message : err, fields ? JSON.stringify(fields) : '');
    process.exit(1);
  },
);

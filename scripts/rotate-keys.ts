/**
 * `npm run rotate-keys`: re-encrypts every stored iManage token under the first key of
 * TOKEN_ENCRYPTION_KEY, then says which keys the store still uses. Run it after putting the new key
 * first (`new:…,old:…`) and restarting; once it reports no row under the old key, drop that key.
 */
import { ConfigError, loadConfig } from '../src/config.js';
import { createTokenStore, StoreStartupError, TokenCipher } from '../src/auth/store/index.js';
import { keyUsage, reencryptConnections } from '../src/auth/store/rotation.js';

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.tokenEncryptionKeyGenerated) {
    process.stderr.write('TOKEN_ENCRYPTION_KEY is not set: there is nothing to rotate (sandbox mode generates a key per start).\n');
    return 1;
  }
  const keys = config.tokenEncryptionKeys;
  const store = await createTokenStore(config.databaseUrl, new TokenCipher([...keys]));
  try {
    const result = await reencryptConnections(store.connections, keys[0]!.id);
    const usage = await keyUsage(
      store.connections,
      keys.map((k) => k.id),
    );
    process.stdout.write(`${JSON.stringify({ currentKey: keys[0]!.id, ...result, byKey: usage.byKey, unknownKeys: usage.unknown })}\n`);
    return result.unreadable > 0 ? 2 : 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigError || error instanceof StoreStartupError ? error.message : `rotate-keys failed: ${(error as Error).message}`}\n`,
    );
    process.exit(1);
  },
);

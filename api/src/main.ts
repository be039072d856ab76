// Entry point. The configuration is validated before any heavy module (ORM, Temporal, Express) is
// loaded, so a bad setting exits at once with the key's name.
import { ConfigError, loadConfig, type ApiConfig } from './config';

function configOrExit(): ApiConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`remotegpu-api: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

const config = configOrExit();
// A native dynamic import (kept as-is in CommonJS output under nodenext), hence the explicit extension.
import('./server.js')
  .then(({ startServer }) => startServer(config))
  .catch((err: unknown) => {
    process.stderr.write(
      `remotegpu-api: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });

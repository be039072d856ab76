// `node api/dist/cli/agent-credentials.js <machineId> <apiUrl>`: issues (or rotates) a machine's agent
// key and prints the agent's JSON config file on stdout. scripts/start writes it under .data/agents for
// the local agent and the simulated hosts; the secret is shown nowhere else.
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '@remotegpu/core';
import { AgentCredentialService } from '../agent-credentials/agent-credential-service';
import { ConfigError, loadConfig } from '../config';

async function main(): Promise<void> {
  const [machineId, apiUrl] = process.argv.slice(2);
  if (!machineId || !apiUrl) throw new Error('usage: agent-credentials <machineId> <apiUrl>');
  const config = loadConfig(process.env);
  const orm = await MikroORM.init(createOrmConfig({ clientUrl: config.databaseUrl }));
  try {
    const issued = await new AgentCredentialService(config.agentCredentialsKey, () => new Date()).issue(
      orm.em.fork(),
      machineId,
    );
    const agentConfig = {
      MACHINE_ID: machineId,
      TEMPORAL_ADDRESS: config.temporal.address,
      TEMPORAL_NAMESPACE: config.temporal.namespace,
      AGENT_KEY_ID: issued.key_id,
      AGENT_SECRET: issued.secret,
      API_URL: apiUrl,
    };
    process.stdout.write(`${JSON.stringify(agentConfig, null, 2)}\n`);
  } finally {
    await orm.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `agent-credentials: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});

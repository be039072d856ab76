import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AgentConfigError, configFileFrom, loadAgentConfig } from './config';

const baseEnv = {
  MACHINE_ID: 'gpu-01',
  TEMPORAL_ADDRESS: '127.0.0.1:17233',
  AGENT_KEY_ID: 'key-1',
  AGENT_SECRET: 'sixteen-chars-secret',
  API_URL: 'http://127.0.0.1:18080/',
};

function writeConfig(content: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-config-'));
  const file = path.join(dir, 'agent.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('agent config', () => {
  it('reads the environment with defaults', () => {
    const config = loadAgentConfig([], baseEnv);
    expect(config).toMatchObject({
      machineId: 'gpu-01',
      temporal: { address: '127.0.0.1:17233', namespace: 'default' },
      agentKeyId: 'key-1',
      apiUrl: 'http://127.0.0.1:18080',
      heartbeat: { enabled: true, intervalMs: 5000 },
      nvidiaSmiPath: 'nvidia-smi',
      dataRoot: '/home',
      logLevel: 'info',
      metrics: { host: '127.0.0.1', port: 19465 },
    });
    expect(config.temporal.tls).toBeUndefined();
  });

  it('reads the metrics exporter address; port 0 turns it off, a bad port fails by name', () => {
    expect(
      loadAgentConfig([], { ...baseEnv, AGENT_METRICS_PORT: '0', AGENT_METRICS_BIND_HOST: '127.0.1.7' }).metrics,
    ).toEqual({
      host: '127.0.1.7',
      port: 0,
    });
    expect(() => loadAgentConfig([], { ...baseEnv, AGENT_METRICS_PORT: 'x' })).toThrow(/AGENT_METRICS_PORT/);
  });

  it('fails fast naming every bad key', () => {
    expect(() => loadAgentConfig([], {})).toThrow(AgentConfigError);
    expect(() => loadAgentConfig([], {})).toThrow(/MACHINE_ID: is required.*TEMPORAL_ADDRESS: is required/);
    expect(() => loadAgentConfig([], { ...baseEnv, MACHINE_ID: '../etc' })).toThrow(/MACHINE_ID/);
    expect(() => loadAgentConfig([], { ...baseEnv, API_URL: 'ftp://x' })).toThrow(/API_URL/);
    expect(() => loadAgentConfig([], { ...baseEnv, HEARTBEAT_INTERVAL_MS: 'often' })).toThrow(/HEARTBEAT_INTERVAL_MS/);
    expect(() => loadAgentConfig([], { ...baseEnv, AGENT_SECRET: 'short' })).toThrow(/AGENT_SECRET/);
    expect(() => loadAgentConfig([], { ...baseEnv, DATA_ROOT: 'relative' })).toThrow(/DATA_ROOT/);
    expect(() => loadAgentConfig([], { ...baseEnv, TEMPORAL_TLS_CERT_FILE: '/c.pem' })).toThrow(/TLS/);
  });

  it('reads a JSON file from --config or AGENT_CONFIG_FILE, the environment winning', () => {
    const file = writeConfig({
      ...baseEnv,
      MACHINE_ID: 'from-file',
      HEARTBEAT_INTERVAL_MS: 2000,
      HEARTBEAT_ENABLED: false,
    });
    expect(loadAgentConfig(['--config', file], {})).toMatchObject({
      machineId: 'from-file',
      heartbeat: { enabled: false, intervalMs: 2000 },
    });
    expect(loadAgentConfig([`--config=${file}`], { MACHINE_ID: 'from-env' }).machineId).toBe('from-env');
    expect(loadAgentConfig([], { AGENT_CONFIG_FILE: file }).machineId).toBe('from-file');
  });

  it('explains an unreadable, invalid or unknown-key config file', () => {
    expect(() => loadAgentConfig(['--config', '/nonexistent/agent.json'], {})).toThrow(/cannot read config file/);
    expect(() => loadAgentConfig(['--config', writeConfig('{nope')], {})).toThrow(/not valid JSON/);
    expect(() => loadAgentConfig(['--config', writeConfig([1])], {})).toThrow(/JSON object/);
    expect(() => loadAgentConfig(['--config', writeConfig({ ...baseEnv, MACHINEID: 'x' })], {})).toThrow(
      /unknown keys MACHINEID/,
    );
    expect(() => configFileFrom(['--config'], {})).toThrow(/needs a file path/);
  });
});

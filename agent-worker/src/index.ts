export { startAgent, hostDepsFor, type RunningAgent } from './agent';
export { loadAgentConfig, AgentConfigError, type AgentConfig } from './config';
export { HeartbeatSender, buildSignedHeartbeat, type HeartbeatOptions } from './heartbeat';
export { heartbeatGpusFromQuery, readHeartbeatGpus } from './gpu-metrics';
export { AGENT_VERSION } from './version';

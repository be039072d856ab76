// @remotegpu/api as a library (package "main"): build the app in-process, e.g. for benchmarks or
// an embedding test. The process entry point is main.ts.
export { createApp, type AppServices } from './app';
export { loadConfig, ConfigError, type ApiConfig } from './config';
export type { AppDeps } from './deps';
export { AppError, ERROR_STATUS, type ErrorCode } from './http/errors';
export { createDeps, closeDeps, startServer } from './server';

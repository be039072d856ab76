export { startControlWorker, type RunningControlWorker, type StartControlWorkerOptions } from './control-worker';
export { loadControlWorkerConfig, ConfigError, type ControlWorkerConfig } from './config';
export { openControlResources, buildControlActivities, type ControlResources } from './control-activities';

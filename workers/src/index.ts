export { startControlWorker, type RunningControlWorker, type StartControlWorkerOptions } from './control-worker';
export { loadControlWorkerConfig, ConfigError, type ControlWorkerConfig } from './config';
export {
  openControlResources,
  buildControlActivities,
  redisOperationEventPublisher,
  type ControlResources,
} from './control-activities';

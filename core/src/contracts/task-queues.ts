/** The control plane's task queue: database, port pool, nginx, storage, notification activities. */
export const CONTROL_TASK_QUEUE = 'control-plane';

const HOST_QUEUE_PREFIX = 'host-';

/** Each GPU host's agent worker polls its own queue, so host activities run on exactly that host. */
export function hostTaskQueue(machineId: string): string {
  if (!machineId) throw new Error('hostTaskQueue: machineId is empty');
  return `${HOST_QUEUE_PREFIX}${machineId}`;
}

/** The machine id a host task queue belongs to, or undefined when the name is not a host queue. */
export function machineIdFromTaskQueue(taskQueue: string): string | undefined {
  if (!taskQueue.startsWith(HOST_QUEUE_PREFIX) || taskQueue.length === HOST_QUEUE_PREFIX.length) return undefined;
  return taskQueue.slice(HOST_QUEUE_PREFIX.length);
}

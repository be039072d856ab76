// @remotegpu/core/contracts: shared names and types with no runtime dependencies, safe inside the
// workflow bundle.
export * from './task-queues';
export * from './workflow-ids';
export * from './search-attributes';
export * from './failures';
export * from './host-ping';
export * from './activity-types';
export * from './agent-heartbeat';
export * from './lifecycle';
export * from './fleet';
export * from './key-sync';

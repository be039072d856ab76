import type {
  AllocationStatus,
  ContainerStatus,
  DatasetMountStatus,
  DatasetStatus,
  MachineAllocationStatus,
  MachineOnlineStatus,
  TaskStatus,
} from '../enums';
import { defineStateMachine } from './state-machine';

/**
 * A machine's rental state. `allocating → idle` is the allocation saga's compensation;
 * `allocating → maintenance` is for when even the compensation cannot clean the host;
 * `reclaiming → maintenance` when a reclaim step cannot finish; a passing check returns it to idle.
 */
export const machineAllocationStateMachine = defineStateMachine<MachineAllocationStatus>('machine allocation status', {
  idle: ['allocating', 'maintenance'],
  allocating: ['allocated', 'idle', 'maintenance'],
  allocated: ['reclaiming'],
  reclaiming: ['idle', 'maintenance'],
  maintenance: ['idle'],
});

/** Liveness from heartbeats. */
export const machineOnlineStateMachine = defineStateMachine<MachineOnlineStatus>('machine online status', {
  online: ['offline'],
  offline: ['online'],
});

export const datasetStateMachine = defineStateMachine<DatasetStatus>('dataset status', {
  uploading: ['processing', 'error'],
  processing: ['ready', 'error'],
  ready: [],
  error: [],
});

/** A container environment: `creating → running ⇄ stopped → deleted`, any live state → error. */
export const containerStateMachine = defineStateMachine<ContainerStatus>('container status', {
  creating: ['running', 'error'],
  running: ['stopped', 'error'],
  stopped: ['running', 'deleted', 'error'],
  error: ['deleted'],
  deleted: [],
});

/**
 * An allocation: `pending → active` (or `failed` after compensation), `active → reclaiming`, and the reclaim
 * ends in `reclaimed` (early reclaim), `expired` (lease end) or `failed` (host left in maintenance).
 */
export const allocationStateMachine = defineStateMachine<AllocationStatus>('allocation status', {
  pending: ['active', 'failed'],
  active: ['reclaiming'],
  reclaiming: ['reclaimed', 'expired', 'failed'],
  reclaimed: [],
  expired: [],
  failed: [],
});

export const datasetMountStateMachine = defineStateMachine<DatasetMountStatus>('dataset mount status', {
  pending: ['mounting', 'error'],
  mounting: ['mounted', 'error'],
  mounted: ['unmounting', 'error'],
  unmounting: ['unmounted', 'error'],
  error: ['unmounting'],
  unmounted: [],
});

export const taskStateMachine = defineStateMachine<TaskStatus>('task status', {
  pending: ['running', 'failed', 'stopped'],
  running: ['stopping', 'succeeded', 'failed'],
  stopping: ['stopped', 'succeeded', 'failed'],
  succeeded: [],
  failed: [],
  stopped: [],
});

export { createControlActivities } from './lifecycle-activities';
export type { ControlActivityDeps } from './deps';
export {
  reserveMachine,
  reserveMachines,
  newAllocationId,
  newOperationId,
  MachineNotAvailableError,
  type ReserveAllocationInput,
  type ReservedAllocation,
} from './reservation';
export * from './fleet';

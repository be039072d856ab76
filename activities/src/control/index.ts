export { createControlActivities } from './lifecycle-activities';
export { createKeySyncActivities } from './key-sync-activities';
export type { ControlActivityDeps } from './deps';
export {
  withOperationEvents,
  operationUpdateOf,
  OPERATION_WRITING_ACTIVITIES,
  type OperationEventPublisher,
  type OperationUpdate,
} from './operation-events';
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

// Search attribute names registered when the dev server starts (all Keyword). Contracts carry no
// runtime dependency, so these are plain names; workflows and the API build typed keys from them with
// defineSearchAttributeKey(name, SearchAttributeType.KEYWORD).

export const SEARCH_ATTRIBUTE_NAMES = {
  machineId: 'MachineId',
  tenantId: 'TenantId',
  allocationId: 'AllocationId',
  operationKind: 'OperationKind',
} as const;

export type SearchAttributeName = (typeof SEARCH_ATTRIBUTE_NAMES)[keyof typeof SEARCH_ATTRIBUTE_NAMES];

/** Every search attribute above is registered as Keyword. */
export const SEARCH_ATTRIBUTE_TYPE = 'KEYWORD' as const;

/** Values of the OperationKind search attribute, one per workflow kind. */
export const OPERATION_KINDS = [
  'allocate',
  'lease',
  'reclaim',
  'dataset_mount',
  'dataset_unmount',
  'environment',
  'training_task',
  'ssh_reset',
  'host_ping',
  'fleet_health',
  'metrics_rollup',
] as const;

export type OperationKind = (typeof OPERATION_KINDS)[number];

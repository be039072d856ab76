// Typed search attribute keys built from the names in contracts (registered as Keyword on the server).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTE_NAMES, type OperationKind } from '@remotegpu/core/contracts';
import { upsertSearchAttributes } from '@temporalio/workflow';

export const MACHINE_ID_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTE_NAMES.machineId, SearchAttributeType.KEYWORD);
export const TENANT_ID_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTE_NAMES.tenantId, SearchAttributeType.KEYWORD);
export const ALLOCATION_ID_KEY = defineSearchAttributeKey(
  SEARCH_ATTRIBUTE_NAMES.allocationId,
  SearchAttributeType.KEYWORD,
);
export const OPERATION_KIND_KEY = defineSearchAttributeKey(
  SEARCH_ATTRIBUTE_NAMES.operationKind,
  SearchAttributeType.KEYWORD,
);

export interface OperationSearchAttributes {
  operationKind: OperationKind;
  machineId?: string;
  tenantId?: string;
  allocationId?: string;
}

/** Upserts the attributes that apply to this workflow; absent ones are left untouched. */
export function tagOperation(attrs: OperationSearchAttributes): void {
  upsertSearchAttributes([
    { key: OPERATION_KIND_KEY, value: attrs.operationKind },
    ...(attrs.machineId !== undefined ? [{ key: MACHINE_ID_KEY, value: attrs.machineId }] : []),
    ...(attrs.tenantId !== undefined ? [{ key: TENANT_ID_KEY, value: attrs.tenantId }] : []),
    ...(attrs.allocationId !== undefined ? [{ key: ALLOCATION_ID_KEY, value: attrs.allocationId }] : []),
  ]);
}

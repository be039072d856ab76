import {
  CONTROL_TASK_QUEUE,
  OPERATION_KINDS,
  SEARCH_ATTRIBUTE_NAMES,
  allocationWorkflowId,
  datasetMountWorkflowId,
  datasetUnmountWorkflowId,
  environmentWorkflowId,
  hostPingWorkflowId,
  hostTaskQueue,
  leaseWorkflowId,
  machineIdFromTaskQueue,
  reclaimWorkflowId,
  sshResetWorkflowId,
  trainingTaskWorkflowId,
} from './index';

describe('task queues', () => {
  it('names the control plane and host queues', () => {
    expect(CONTROL_TASK_QUEUE).toBe('control-plane');
    expect(hostTaskQueue('m-42')).toBe('host-m-42');
    expect(machineIdFromTaskQueue('host-m-42')).toBe('m-42');
    expect(machineIdFromTaskQueue('host-')).toBeUndefined();
    expect(machineIdFromTaskQueue('control-plane')).toBeUndefined();
    expect(() => hostTaskQueue('')).toThrow(/machineId/);
  });
});

describe('workflow ids', () => {
  it('follows DESIGN §2', () => {
    expect(allocationWorkflowId('a1')).toBe('allocate-a1');
    expect(leaseWorkflowId('a1')).toBe('lease-a1');
    expect(reclaimWorkflowId('a1')).toBe('reclaim-a1');
    expect(datasetMountWorkflowId('mt1')).toBe('dataset-mount-mt1');
    expect(datasetUnmountWorkflowId('mt1')).toBe('dataset-unmount-mt1');
    expect(environmentWorkflowId('e1')).toBe('env-e1');
    expect(trainingTaskWorkflowId('t1')).toBe('task-t1');
    expect(sshResetWorkflowId('m1', 'r1')).toBe('ssh-reset-m1-r1');
    expect(hostPingWorkflowId('m1', 'r1')).toBe('host-ping-m1-r1');
  });

  it('refuses empty parts instead of producing ambiguous ids', () => {
    expect(() => allocationWorkflowId('')).toThrow(/allocationId/);
    expect(() => sshResetWorkflowId('m1', '')).toThrow(/requestId/);
  });
});

describe('search attributes', () => {
  it('uses the names registered on the server', () => {
    expect(Object.values(SEARCH_ATTRIBUTE_NAMES).sort()).toEqual(
      ['AllocationId', 'MachineId', 'OperationKind', 'TenantId'].sort(),
    );
    expect(OPERATION_KINDS).toContain('host_ping');
    expect(new Set(OPERATION_KINDS).size).toBe(OPERATION_KINDS.length);
  });
});

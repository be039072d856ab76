import { AgentCredential } from './agent-credential';
import { Alert } from './alert';
import { Allocation } from './allocation';
import { AuditLog } from './audit-log';
import { Dataset } from './dataset';
import { DatasetMount } from './dataset-mount';
import { Environment } from './environment';
import { GpuDevice } from './gpu-device';
import { Image } from './image';
import { Machine } from './machine';
import { MachineRemoteAccess } from './machine-remote-access';
import { MetricSample } from './metric-sample';
import { Operation } from './operation';
import { PortMapping } from './port-mapping';
import { RemoteSession } from './remote-session';
import { SshKey } from './ssh-key';
import { Task } from './task';
import { Tenant } from './tenant';
import { User } from './user';

export * from './agent-credential';
export * from './alert';
export * from './allocation';
export * from './audit-log';
export * from './dataset';
export * from './dataset-mount';
export * from './environment';
export * from './gpu-device';
export * from './image';
export * from './machine';
export * from './machine-remote-access';
export * from './metric-sample';
export * from './operation';
export * from './port-mapping';
export * from './remote-session';
export * from './ssh-key';
export * from './task';
export * from './tenant';
export * from './user';

/** Every entity, listed explicitly (no folder discovery). */
export const ALL_ENTITIES = [
  Tenant,
  User,
  SshKey,
  Machine,
  GpuDevice,
  Allocation,
  Operation,
  Dataset,
  DatasetMount,
  Environment,
  PortMapping,
  MachineRemoteAccess,
  RemoteSession,
  Task,
  Image,
  Alert,
  AuditLog,
  MetricSample,
  AgentCredential,
] as const;

// Inventory use-cases: list, register (with agent credentials), detail, update, soft delete, import.
import type { EntityManager } from '@mikro-orm/postgresql';
import { hostTaskQueue } from '@remotegpu/core/contracts';
import type { IssuedAgentCredential } from '../../agent-credentials/agent-credential-service';
import type { Page } from '../../http/envelope';
import { AppError } from '../../http/errors';
import {
  recentMachineOperations,
  type OperationView,
  type TemporalUiLocation,
} from '../operations/operation-repository';
import type { ImportRecord } from './import-file';
import {
  addressKey,
  existingIdentities,
  findMachine,
  insertMachines,
  listGpuDevices,
  listMachines,
  machineAtAddress,
  machineIdTaken,
  softDeleteMachine,
  updateMachine,
  type AdminMachineView,
  type CurrentAllocationView,
  type GpuDeviceView,
} from './machine-repository';
import {
  createMachineSchema,
  type CreateMachineInput,
  type ListMachinesQuery,
  type UpdateMachineInput,
} from './machine-schemas';
import { isUniqueViolation } from './sql';

/** Issues (and stores) a machine's agent credential inside the caller's transaction (AgentCredentialService). */
export type AgentCredentialIssuer = (em: EntityManager, machineId: string) => Promise<IssuedAgentCredential>;

export interface RegisteredMachine {
  machine: AdminMachineView;
  task_queue: string;
  agent_credentials: IssuedAgentCredential;
}

export interface MachineDetail extends AdminMachineView {
  gpus: GpuDeviceView[];
  current_allocation: CurrentAllocationView | null;
  recent_operations: OperationView[];
}

export type ImportRowStatus = 'created' | 'skipped' | 'error';

export interface ImportRowReport {
  row: number;
  status: ImportRowStatus;
  id?: string;
  reason?: string;
}

export interface ImportReport {
  /** False when the file had errors and nothing was imported (skip_bad_rows not set). */
  imported: boolean;
  total: number;
  created: number;
  skipped: number;
  errors: number;
  rows: ImportRowReport[];
}

export interface MachineServiceOptions {
  issueAgentCredential: AgentCredentialIssuer;
  temporalUi: TemporalUiLocation;
  now: () => Date;
}

function addressConflict(id: string): AppError {
  return new AppError('CONFLICT', `another machine (${id}) already uses this ip and ssh port`, {
    reason: 'address_taken',
    machine_id: id,
  });
}

const idTaken = (id: string): AppError =>
  new AppError('CONFLICT', `machine id ${id} is already registered (ids are never reused)`, {
    reason: 'id_taken',
    machine_id: id,
  });

/** Turns a zod issue list of one import row into a single readable reason. */
function rowReason(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || 'row'}: ${i.message}`).join('; ');
}

/** CSV/XLSX cells are text: tags are `a;b` or `a,b`, everything else goes to the schema (it coerces). */
function recordToInput(values: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...values };
  if (values.tags !== undefined) {
    input.tags = values.tags
      .split(/[;,]/)
      .map((t) => t.trim())
      .filter(Boolean);
  }
  return input;
}

export class MachineService {
  constructor(private readonly opts: MachineServiceOptions) {}

  list(em: EntityManager, query: ListMachinesQuery): Promise<Page<AdminMachineView>> {
    return listMachines(em, query);
  }

  async get(em: EntityManager, id: string): Promise<MachineDetail> {
    const found = await findMachine(em, id);
    if (!found) throw AppError.notFound('machine');
    const [gpus, recent] = await Promise.all([
      listGpuDevices(em, id),
      recentMachineOperations(em, id, this.opts.temporalUi),
    ]);
    return { ...found.machine, gpus, current_allocation: found.currentAllocation, recent_operations: recent };
  }

  async register(em: EntityManager, input: CreateMachineInput): Promise<RegisteredMachine> {
    try {
      const credentials = await em.transactional(async (tx) => {
        if (await machineIdTaken(tx, input.id)) throw idTaken(input.id);
        const holder = await machineAtAddress(tx, input.ip, input.ssh_port);
        if (holder) throw addressConflict(holder);
        await insertMachines(tx, [input], this.opts.now());
        return this.opts.issueAgentCredential(tx, input.id);
      });
      const created = await findMachine(em, input.id);
      return { machine: created!.machine, task_queue: hostTaskQueue(input.id), agent_credentials: credentials };
    } catch (err) {
      // A concurrent registration of the same id or address loses at the constraint.
      if (isUniqueViolation(err, 'machines_pkey')) throw idTaken(input.id);
      if (isUniqueViolation(err, 'machines_ip_ssh_port_live')) throw addressConflict('concurrent registration');
      if (isUniqueViolation(err, 'machines_public_domain_public_port_unique')) {
        throw new AppError('CONFLICT', 'public_domain + public_port is already used by another machine');
      }
      throw err;
    }
  }

  async update(em: EntityManager, id: string, patch: UpdateMachineInput): Promise<AdminMachineView> {
    const found = await findMachine(em, id);
    if (!found) throw AppError.notFound('machine');
    const ip = patch.ip ?? found.machine.ip;
    const sshPort = patch.ssh_port ?? found.machine.ssh_port;
    if (patch.ip !== undefined || patch.ssh_port !== undefined) {
      const holder = await machineAtAddress(em, ip, sshPort, id);
      if (holder) throw addressConflict(holder);
    }
    try {
      await updateMachine(em, id, patch, this.opts.now());
    } catch (err) {
      if (isUniqueViolation(err, 'machines_ip_ssh_port_live')) throw addressConflict('concurrent update');
      if (isUniqueViolation(err, 'machines_public_domain_public_port_unique')) {
        throw new AppError('CONFLICT', 'public_domain + public_port is already used by another machine');
      }
      throw err;
    }
    return (await findMachine(em, id))!.machine;
  }

  /** Soft delete; refused while the machine is allocated or in the middle of a lifecycle step. */
  async remove(em: EntityManager, id: string): Promise<{ id: string; deleted: true }> {
    const found = await findMachine(em, id);
    if (!found) throw AppError.notFound('machine');
    if (!(await softDeleteMachine(em, id, this.opts.now()))) {
      throw new AppError('CONFLICT', `machine ${id} has a live allocation or is ${found.machine.allocation_status}`, {
        reason: 'machine_in_use',
        allocation_status: found.machine.allocation_status,
        allocation_id: found.currentAllocation?.id ?? null,
      });
    }
    return { id, deleted: true };
  }

  /**
   * Imports validated rows. Rows already registered identically (same id at the same address) are
   * skipped; invalid rows and conflicts (within the file or with the database) are errors. Without
   * `skipBadRows` a single error imports nothing.
   */
  async import(em: EntityManager, records: ImportRecord[], skipBadRows: boolean): Promise<ImportReport> {
    const reports: ImportRowReport[] = [];
    const candidates: { report: ImportRowReport; input: CreateMachineInput }[] = [];
    for (const record of records) {
      const parsed = createMachineSchema.safeParse(recordToInput(record.values));
      if (!parsed.success) {
        reports.push({
          row: record.row,
          status: 'error',
          id: record.values.id,
          reason: rowReason(parsed.error.issues),
        });
      } else {
        const report: ImportRowReport = { row: record.row, status: 'created', id: parsed.data.id };
        reports.push(report);
        candidates.push({ report, input: parsed.data });
      }
    }

    return em.transactional(async (tx) => {
      const existing = await existingIdentities(
        tx,
        candidates.map((c) => c.input.id),
        candidates.map((c) => c.input),
      );
      const seenIds = new Map<string, number>();
      const seenAddresses = new Map<string, number>();
      const toCreate: CreateMachineInput[] = [];
      for (const { report, input } of candidates) {
        const address = addressKey(input.ip, input.ssh_port);
        const firstWithId = seenIds.get(input.id);
        const firstAtAddress = seenAddresses.get(address);
        const holder = existing.addresses.get(address);
        const fail = (reason: string) => Object.assign(report, { status: 'error' as const, reason });
        if (firstWithId !== undefined) fail(`duplicate id ${input.id} in the file (row ${firstWithId})`);
        else if (firstAtAddress !== undefined) fail(`duplicate ip:port ${address} in the file (row ${firstAtAddress})`);
        else if (existing.ids.has(input.id) && holder === input.id) {
          Object.assign(report, { status: 'skipped' as const, reason: 'already registered' });
        } else if (existing.ids.has(input.id)) fail(`machine id ${input.id} is already registered`);
        else if (holder) fail(`ip:port ${address} is already used by machine ${holder}`);
        else toCreate.push(input);
        if (firstWithId === undefined) seenIds.set(input.id, report.row);
        if (firstAtAddress === undefined) seenAddresses.set(address, report.row);
      }

      const errors = reports.filter((r) => r.status === 'error').length;
      if (errors > 0 && !skipBadRows) {
        for (const r of reports) {
          if (r.status === 'created')
            Object.assign(r, { status: 'skipped', reason: 'not imported: the file has errors' });
        }
        throw new AppError('UNPROCESSABLE', `${errors} row(s) have errors; nothing was imported`, {
          ...summarise(reports, false),
        });
      }
      if (toCreate.length > 0) {
        try {
          await insertMachines(tx, toCreate, this.opts.now());
        } catch (err) {
          if (isUniqueViolation(err)) {
            throw new AppError('CONFLICT', 'a machine in the file was registered concurrently; nothing was imported');
          }
          throw err;
        }
      }
      return summarise(reports, true);
    });
  }
}

function summarise(rows: ImportRowReport[], imported: boolean): ImportReport {
  const count = (status: ImportRowStatus) => rows.filter((r) => r.status === status).length;
  return {
    imported,
    total: rows.length,
    created: count('created'),
    skipped: count('skipped'),
    errors: count('error'),
    rows,
  };
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { SshKey, User } from '@remotegpu/core';
import { AppError } from '../http/errors';
import { TenantScope } from './tenant-scope';

function fakeEm(rows: unknown[] = []) {
  const calls: Array<{ method: string; where: unknown; options?: unknown }> = [];
  const em = {
    find: async (_entity: unknown, where: unknown, options?: unknown) => {
      calls.push({ method: 'find', where, options });
      return rows;
    },
    count: async (_entity: unknown, where: unknown) => {
      calls.push({ method: 'count', where });
      return rows.length;
    },
    nativeDelete: async (_entity: unknown, where: unknown) => {
      calls.push({ method: 'nativeDelete', where });
      return rows.length;
    },
  };
  return { em: em as unknown as EntityManager, calls };
}

describe('TenantScope', () => {
  it('adds the tenant condition to every query, whatever the caller asks for', async () => {
    const { em, calls } = fakeEm([{ id: 1 }]);
    const scope = new TenantScope(em, 42);
    await scope.find(SshKey, { user: 7 });
    await scope.count(User);
    await scope.findOne(SshKey, { id: 3 });
    await scope.nativeDelete(SshKey, { id: 3 });
    // Even an explicit tenant of someone else is ANDed with the caller's own.
    await scope.find(SshKey, { tenant: 99 } as never);
    expect(calls.map((c) => [c.method, c.where])).toEqual([
      ['find', { $and: [{ user: 7 }, { tenant: 42 }] }],
      ['count', { $and: [{}, { tenant: 42 }] }],
      ['find', { $and: [{ id: 3 }, { tenant: 42 }] }],
      ['nativeDelete', { $and: [{ id: 3 }, { tenant: 42 }] }],
      ['find', { $and: [{ tenant: 99 }, { tenant: 42 }] }],
    ]);
    expect(calls[2].options).toMatchObject({ limit: 1 });
  });

  it('answers NOT_FOUND (never FORBIDDEN) when the row is not in the tenant', async () => {
    const scope = new TenantScope(fakeEm([]).em, 42);
    await expect(scope.findOneOrNotFound(SshKey, { id: 5 }, 'ssh key')).rejects.toEqual(AppError.notFound('ssh key'));
    await expect(scope.findOneOrNotFound(SshKey, { id: 5 }, 'ssh key')).rejects.toMatchObject({ status: 404 });
  });
});

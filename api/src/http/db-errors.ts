import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError } from './errors';

/** Runs `work`, turning a unique-constraint violation into CONFLICT with the given message. */
export async function conflictOnDuplicate<T>(work: () => Promise<T>, message: string, details?: unknown): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw new AppError('CONFLICT', message, details);
    throw err;
  }
}

/** Runs `work`, turning a foreign-key violation (row still referenced) into CONFLICT. */
export async function conflictWhenReferenced<T>(work: () => Promise<T>, message: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ForeignKeyConstraintViolationException) throw new AppError('CONFLICT', message);
    throw err;
  }
}

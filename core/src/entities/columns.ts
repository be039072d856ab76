import { p } from '@mikro-orm/core';

// Shared column builders. Each call returns a fresh builder: builders carry mutable options.
// `default now()` too, so rows inserted by plain SQL (tests, scripts) get timestamps as well.

/** Set once on insert (timestamptz). */
export const createdAtColumn = () =>
  p
    .datetime()
    .defaultRaw('now()')
    .onCreate(() => new Date());

/** Set on insert and on every flush that changes the row (timestamptz). */
export const updatedAtColumn = () =>
  p
    .datetime()
    .defaultRaw('now()')
    .onCreate(() => new Date())
    .onUpdate(() => new Date());

/** A timestamp set on insert, e.g. started_at / first_seen_at. */
export const nowOnCreateColumn = () =>
  p
    .datetime()
    .defaultRaw('now()')
    .onCreate(() => new Date());

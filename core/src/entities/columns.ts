import { p } from '@mikro-orm/core';

// Shared column builders. Each call returns a fresh builder: builders carry mutable options.

/** Set once on insert (timestamptz). */
export const createdAtColumn = () => p.datetime().onCreate(() => new Date());

/** Set on insert and on every flush that changes the row (timestamptz). */
export const updatedAtColumn = () =>
  p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date());

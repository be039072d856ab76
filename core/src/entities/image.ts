import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { IMAGE_STATUSES } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';

/** The container image allow-list: environments may only use `name:tag` of an active image. */
export const Image = defineEntity({
  name: 'Image',
  tableName: 'images',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    name: p.string(),
    tag: p.string().default('latest'),
    displayName: p.string().nullable(),
    description: p.text().nullable(),
    sizeBytes: p.bigint('number').nullable(),
    gpuSupport: p.boolean().default(true),
    desktopSupport: p.boolean().default(false),
    status: p.enum([...IMAGE_STATUSES]).default('active'),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  uniques: [{ name: 'images_name_tag_unique', properties: ['name', 'tag'] }],
});
export type IImage = InferEntity<typeof Image>;

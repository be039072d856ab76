// /api/v1/admin/machines (admin only): inventory list/detail, register, update, soft delete, import.
import { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { audit } from '../../audit/audit-context';
import { sendOk } from '../../http/envelope';
import { AppError } from '../../http/errors';
import { readImportFile } from './import-file';
import { createMachineSchema, listMachinesQuerySchema, machineIdSchema, updateMachineSchema } from './machine-schemas';
import type { MachineService } from './machine-service';

export const MAX_IMPORT_FILE_BYTES = 10 * 1024 * 1024;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A route :id that cannot be a machine id is simply not found. */
export function machineIdParam(raw: unknown): string {
  const parsed = machineIdSchema.safeParse(raw);
  if (!parsed.success) throw AppError.notFound('machine');
  return parsed.data;
}

/** multer with its errors (too large, wrong field) mapped to the API's error codes. */
function singleFileUpload(field: string): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_IMPORT_FILE_BYTES, files: 1 } });
  const handler = upload.single(field);
  return (req, res, next) => {
    handler(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        return next(
          err.code === 'LIMIT_FILE_SIZE'
            ? new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${MAX_IMPORT_FILE_BYTES} bytes`)
            : new AppError('VALIDATION_ERROR', `upload error: ${err.message}`, {
                fields: [{ field: err.field ?? field, message: err.message }],
              }),
        );
      }
      next(err);
    });
  };
}

export function machineRoutes(service: MachineService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    sendOk(res, await service.list(req.em, listMachinesQuerySchema.parse(req.query)));
  });

  router.post('/import', singleFileUpload('file'), async (req, res) => {
    audit(res, { action: 'machine.import', resourceType: 'machine' });
    if (!req.file) {
      throw new AppError('VALIDATION_ERROR', 'upload the inventory as multipart field "file" (.csv or .xlsx)', {
        fields: [{ field: 'file', message: 'is required' }],
      });
    }
    const skipBadRows = booleanFlag.parse(
      req.query.skip_bad_rows ?? (req.body as Record<string, unknown>)?.skip_bad_rows,
    );
    const records = await readImportFile(req.file);
    sendOk(res, await service.import(req.em, records, skipBadRows));
  });

  router.post('/', async (req, res) => {
    audit(res, { action: 'machine.create', resourceType: 'machine' });
    const input = createMachineSchema.parse(req.body);
    audit(res, { resourceId: input.id });
    // The response carries the agent secret, shown this once.
    res.setHeader('Cache-Control', 'no-store');
    sendOk(res, await service.register(req.em, input), 201);
  });

  router.get('/:id', async (req, res) => {
    sendOk(res, await service.get(req.em, machineIdParam(req.params.id)));
  });

  router.put('/:id', async (req, res) => {
    audit(res, { action: 'machine.update', resourceType: 'machine', resourceId: req.params.id });
    sendOk(res, await service.update(req.em, machineIdParam(req.params.id), updateMachineSchema.parse(req.body)));
  });

  router.delete('/:id', async (req, res) => {
    audit(res, { action: 'machine.delete', resourceType: 'machine', resourceId: req.params.id });
    sendOk(res, await service.remove(req.em, machineIdParam(req.params.id)));
  });

  return router;
}

// The S3 server scripts/up starts must do what the product relies on: presigned PUT + GET and
// multipart uploads, through the same `minio` client the API uses.
import { createHash, randomBytes } from 'node:crypto';
import * as Minio from 'minio';
import { testEnv, uniqueSuffix } from '../support/env';

const { bucket, ...connection } = testEnv.s3;
const client = new Minio.Client(connection);

describe('S3 server', () => {
  const prefix = `infra-test/${uniqueSuffix('s3')}`;

  afterAll(async () => {
    const names: string[] = [];
    for await (const item of client.listObjectsV2(bucket, prefix, true)) if (item.name) names.push(item.name);
    if (names.length) await client.removeObjects(bucket, names);
  });

  it('has the configured bucket', async () => {
    expect(await client.bucketExists(bucket)).toBe(true);
  });

  it('accepts a presigned PUT and serves the object back on a presigned GET', async () => {
    const key = `${prefix}/presigned.bin`;
    const body = randomBytes(64 * 1024);
    const putUrl = await client.presignedPutObject(bucket, key, 60);
    const put = await fetch(putUrl, { method: 'PUT', body });
    expect(put.status).toBe(200);

    const getUrl = await client.presignedGetObject(bucket, key, 60);
    const get = await fetch(getUrl);
    expect(get.status).toBe(200);
    expect(Buffer.from(await get.arrayBuffer()).equals(body)).toBe(true);

    // A URL whose signature was tampered with is refused.
    const forged = new URL(getUrl);
    forged.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect((await fetch(forged)).status).toBe(403);
  });

  it('assembles a multipart upload from presigned part URLs', async () => {
    const key = `${prefix}/multipart.bin`;
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1024 * 1024)];
    const uploadId = await client.initiateNewMultipartUpload(bucket, key, {});
    const etags: { part: number; etag: string }[] = [];
    for (const [i, part] of parts.entries()) {
      const url = await client.presignedUrl('PUT', bucket, key, 60, { partNumber: String(i + 1), uploadId });
      const res = await fetch(url, { method: 'PUT', body: part });
      expect(res.status).toBe(200);
      etags.push({ part: i + 1, etag: (res.headers.get('etag') ?? '').replace(/"/g, '') });
    }
    await client.completeMultipartUpload(bucket, key, uploadId, etags);

    const stat = await client.statObject(bucket, key);
    expect(stat.size).toBe(6 * 1024 * 1024);
    const chunks: Buffer[] = [];
    for await (const chunk of await client.getObject(bucket, key)) chunks.push(chunk as Buffer);
    const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
    expect(md5(Buffer.concat(chunks))).toBe(md5(Buffer.concat(parts)));
  });
});

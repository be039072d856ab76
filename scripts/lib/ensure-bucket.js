// Creates the configured bucket when missing (S3 over plain HTTP on loopback; SigV4 via the minio client).
// Runs after npm install; before that (first setup) the bucket is created on the next `scripts/up`.
const [bucket] = process.argv.slice(2);
let Minio;
try {
  Minio = require('minio');
} catch {
  process.exit(0);
}
const client = new Minio.Client({
  endPoint: '127.0.0.1',
  port: Number(process.env.S3_PORT),
  useSSL: false,
  accessKey: process.env.S3_ACCESS_KEY,
  secretKey: process.env.S3_SECRET_KEY,
});
(async () => {
  for (let attempt = 0; ; attempt++) {
    try {
      if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket);
      return;
    } catch (err) {
      // The gateway answers before its filer is fully up; retry briefly.
      if (attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
})().catch((err) => {
  console.error(err.message);
  process.exit(1);
});

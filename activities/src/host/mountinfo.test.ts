import { mountsBelow, parseMountPoints } from './mountinfo';

const mountinfo = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
  '40 22 0:35 / /data/tenants/alice/datasets/img\\040net rw,nosuid - fuse.s3fs s3fs rw',
  '41 22 0:36 / /data/tenants/alicex rw - tmpfs tmpfs rw',
  '',
].join('\n');

describe('mountinfo', () => {
  it('decodes mount points', () => {
    expect(parseMountPoints(mountinfo)).toEqual(['/', '/data/tenants/alice/datasets/img net', '/data/tenants/alicex']);
  });

  it('finds mounts strictly below a directory (not siblings sharing a prefix, not the directory itself)', () => {
    const points = parseMountPoints(mountinfo);
    expect(mountsBelow(points, '/data/tenants/alice')).toEqual(['/data/tenants/alice/datasets/img net']);
    expect(mountsBelow(points, '/data/tenants/alicex')).toEqual([]);
  });
});

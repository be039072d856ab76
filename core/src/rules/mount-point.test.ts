import { InvalidMountPointError, normaliseMountPoint, type MountPointErrorCode } from './mount-point';

describe('normaliseMountPoint', () => {
  it.each([
    ['/data/imagenet', '/data/imagenet'],
    ['/data//imagenet/', '/data/imagenet'],
    ['/data/./sets/./coco', '/data/sets/coco'],
    ['  /mnt/datasets/coco-2017  ', '/mnt/datasets/coco-2017'],
    ['/data/a.b_c@d+e-f', '/data/a.b_c@d+e-f'],
  ])('normalises %j to %s', (input, expected) => {
    expect(normaliseMountPoint(input)).toBe(expected);
  });

  it.each<[string, MountPointErrorCode]>([
    ['', 'empty'],
    ['data/imagenet', 'not_absolute'],
    ['/data/../etc', 'parent_segment'],
    ['/data/sets/..', 'parent_segment'],
    ['/data', 'outside_allowed_prefixes'],
    ['/data/', 'outside_allowed_prefixes'],
    ['/database/x', 'outside_allowed_prefixes'],
    ['/etc/passwd', 'outside_allowed_prefixes'],
    ['/', 'outside_allowed_prefixes'],
    ['/data/my set', 'bad_characters'],
    ['/data/$(id)', 'bad_characters'],
    ['/data/x;rm', 'bad_characters'],
    ['/data/x\n', 'bad_characters'],
    ['/data/\u00e9', 'bad_characters'],
    ['/data/' + 'a'.repeat(260), 'too_long'],
  ])('rejects %j (%s)', (input, reason) => {
    let caught: unknown;
    try {
      normaliseMountPoint(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidMountPointError);
    expect((caught as InvalidMountPointError).reason).toBe(reason);
  });

  it('uses the given prefixes (normalised)', () => {
    expect(normaliseMountPoint('/home/t_acme/data/x', ['/home/t_acme/data/'])).toBe('/home/t_acme/data/x');
    expect(() => normaliseMountPoint('/data/x', ['/srv'])).toThrow(InvalidMountPointError);
  });
});

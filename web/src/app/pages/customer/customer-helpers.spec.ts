import { passwordPolicyProblems } from '../change-password/password-policy';
import { oneTimePassword, sshCommand } from './connection';
import { metricsSeries } from './metrics-series';
import { looksLikePublicKey } from './ssh-key-format';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKbU6JrqgsTdX7N5m7h0ZsO8s3Qwq2pQyJmWcJc0d1cX user@laptop';

describe('customer helpers', () => {
  it('builds the ssh command, omitting the default port', () => {
    expect(sshCommand({ ssh_host: 'ssh.example.com', ssh_port: 10022, ssh_user: 'acme' })).toBe(
      'ssh -p 10022 acme@ssh.example.com',
    );
    expect(sshCommand({ ssh_host: '10.0.0.1', ssh_port: 22, ssh_user: 'root' })).toBe('ssh root@10.0.0.1');
  });

  it('reads the one-time password under either field name', () => {
    expect(oneTimePassword({ password: 'p1' })).toBe('p1');
    expect(oneTimePassword({ new_password: 'p2' })).toBe('p2');
    expect(oneTimePassword({})).toBeNull();
    expect(oneTimePassword(null)).toBeNull();
  });

  it('recognises OpenSSH public key lines', () => {
    expect(looksLikePublicKey(ED25519)).toBe(true);
    expect(looksLikePublicKey(`  ${ED25519}\n`)).toBe(true);
    expect(looksLikePublicKey('ssh-ed25519')).toBe(false);
    expect(looksLikePublicKey('-----BEGIN OPENSSH PRIVATE KEY----- abc')).toBe(false);
    expect(
      looksLikePublicKey('ssh-dss AAAAB3NzaC1kc3MAAACBAP9+7d3zW3V5ZQ1nK8o1nYw5d8yQzF1Jx4Yk2w3e4r5t6y7u8i9o0p'),
    ).toBe(false);
  });

  it('mirrors the password policy', () => {
    expect(passwordPolicyProblems('Abcdefgh12')).toEqual([]);
    expect(passwordPolicyProblems('abcdefgh1!')).toEqual([]);
    expect(passwordPolicyProblems('Short1!')).toEqual(['too_short']);
    expect(passwordPolicyProblems('alllowercase')).toEqual(['too_few_character_classes']);
    expect(passwordPolicyProblems('Alice-Secret-9', 'alice')).toEqual(['contains_username']);
    expect(passwordPolicyProblems('Alice-Secret-9', 'bob')).toEqual([]);
  });
});

describe('metricsSeries', () => {
  const names = { average: 'avg', gpu: (i: number) => `gpu${i}` };

  it('joins history with newer live samples and adds per-GPU series when there are several GPUs', () => {
    const series = metricsSeries(
      {
        machine_id: 'm',
        range: '1h',
        step: 60,
        host: [
          { ts: '2026-11-22T12:00:00.000Z', gpu_util: 10 },
          { ts: '2026-11-22T12:01:00.000Z', gpu_util: 20 },
        ],
        gpus: [
          { gpu_index: 1, points: [{ ts: '2026-11-22T12:00:00.000Z', gpu_util: 5 }] },
          { gpu_index: 0, points: [{ ts: '2026-11-22T12:00:00.000Z', gpu_util: 15 }] },
        ],
      },
      [
        { ts: Date.UTC(2026, 10, 22, 12, 0, 30) / 1000, value: 99 },
        { ts: Date.UTC(2026, 10, 22, 12, 2) / 1000, value: 30 },
        { ts: Date.UTC(2026, 10, 22, 12, 2) / 1000, value: 30 },
      ],
      names,
    );
    expect(series.map((s) => s.name)).toEqual(['avg', 'gpu0', 'gpu1']);
    expect(series[0].points.map((p) => p.value)).toEqual([10, 20, 30]);
    expect(series[1].points).toEqual([{ ts: '2026-11-22T12:00:00.000Z', value: 15 }]);
  });

  it('shows one series for a single GPU and works before the history loaded', () => {
    expect(metricsSeries(null, [{ ts: 1, value: 3 }], names)).toEqual([{ name: 'avg', points: [{ ts: 1, value: 3 }] }]);
    const single = metricsSeries(
      { machine_id: 'm', range: '1h', step: 60, host: [], gpus: [{ gpu_index: 0, points: [] }] },
      [],
      names,
    );
    expect(single).toHaveLength(1);
  });
});

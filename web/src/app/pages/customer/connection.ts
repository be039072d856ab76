// Connection strings shown to customers (pure).
import { CustomerMachine } from '../../shared/api/api-types';

export function sshCommand(machine: Pick<CustomerMachine, 'ssh_host' | 'ssh_port' | 'ssh_user'>): string {
  const port = machine.ssh_port && machine.ssh_port !== 22 ? `-p ${machine.ssh_port} ` : '';
  return `ssh ${port}${machine.ssh_user}@${machine.ssh_host}`;
}

/** The password of an ssh-reset response, or null when none was returned (only the keys were re-synced). */
export function oneTimePassword(
  response: { password?: string | null; new_password?: string | null } | null | undefined,
): string | null {
  return response?.password ?? response?.new_password ?? null;
}

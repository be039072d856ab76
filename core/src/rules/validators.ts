// Identifier validators shared by the API, activities and the database CHECK constraints.

/** A machine id: also the suffix of its Temporal task queue `host-<id>` (CHECK machines_id_format). */
export const MACHINE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function isValidMachineId(id: string): boolean {
  return MACHINE_ID_PATTERN.test(id);
}

/** A tenant's company code (租户编码): lower-case, short enough for the unix user `t_<code>` (≤ 32). */
export const COMPANY_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,29}$/;

export function isValidCompanyCode(code: string): boolean {
  return COMPANY_CODE_PATTERN.test(code);
}

/** datetime-local value (local time, no zone) → ISO string in UTC; empty or invalid = undefined (e.g. start now). */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Display helpers: short addresses, participant names, times, amounts. */
export function shortAddress(address: string): string {
  return address.length > 20 ? `${address.slice(0, 10)}…${address.slice(-6)}` : address;
}

export function timeText(iso: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

export function timestampText(ts: { seconds: bigint; nanos: number } | undefined): string {
  return ts ? timeText(new Date(Number(ts.seconds) * 1000).toISOString()) : '';
}

/** 1234567 → "1,234,567" without floating point, for any size of integer string. */
export function groupDigits(amount: string | bigint): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

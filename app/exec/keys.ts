/**
 * Key bytes → the latin1 string the multi-version memory is keyed by (same as store/bytes.ts
 * `keyString`, whose JS order is byte order). Short keys are converted without allocating a
 * Buffer: that conversion was the executor's top self-time entry in profiles (~25 % of a
 * transfer's overhead), and store keys are short.
 */
export function keyStr(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n > 48) return Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('latin1');
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

// Goal targets as the server checks them (docs/api.md, goals): a whole
// number from 1 to 100,000, dollars up to 10,000,000,000 for funded volume.
export function maxTarget(metric: string): number {
  return metric === 'funded_volume' ? 10_000_000_000 : 100_000;
}

// The target typed in a field: a whole number (commas and a leading $ are
// allowed), or an error message.
export function parseTarget(metric: string, text: string): { value: number } | { error: string } {
  const t = text.trim().replace(/[$,\s]/g, '');
  const max = maxTarget(metric);
  if (!/^\d+$/.test(t)) return { error: `Enter a whole number from 1 to ${max.toLocaleString('en-US')}` };
  const v = Number(t);
  if (v < 1 || v > max) return { error: `Enter a whole number from 1 to ${max.toLocaleString('en-US')}` };
  return { value: v };
}

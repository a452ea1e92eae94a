import { describe, expect, it } from 'vitest';
import { maxTarget, parseTarget } from './goals';

describe('goal targets', () => {
  it('accepts whole numbers in range', () => {
    expect(parseTarget('calls', '25')).toEqual({ value: 25 });
    expect(parseTarget('calls', ' 1,000 ')).toEqual({ value: 1000 });
    expect(parseTarget('funded_volume', '$2,500,000')).toEqual({ value: 2_500_000 });
    expect(parseTarget('calls', '100000')).toEqual({ value: 100000 });
  });

  it('rejects the rest with a message', () => {
    for (const bad of ['', '0', '2.5', '-3', 'ten', '100001']) expect(parseTarget('calls', bad)).toHaveProperty('error');
    expect(parseTarget('funded_volume', '10000000001')).toHaveProperty('error');
    expect(maxTarget('funded_volume')).toBe(10_000_000_000);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCidr, type Cidr } from '../../config/cidr.js';
import { PrefixBuckets } from './prefix-buckets.js';

const c = (text: string): Cidr => parseCidr(text) as Cidr;

function index(...keys: string[]): PrefixBuckets {
  const buckets = new PrefixBuckets();
  for (const k of keys) buckets.add(k, c(k));
  return buckets;
}

describe('PrefixBuckets', () => {
  const keys = ['198.51.100.66', '198.51.100.0/26', '198.51.101.1', '198.52.0.1', '10.0.0.0/8', '10.1.2.3', '2001:db8::1', '2001:db8:1::/48', '2001:db9::1'];

  it('finds the entries strictly inside a block, IPv4 and IPv6, narrow and wide', () => {
    const b = index(...keys);
    expect(b.inside(c('198.51.100.0/24')).sort()).toEqual(['198.51.100.0/26', '198.51.100.66']);
    expect(b.inside(c('198.51.0.0/16')).sort()).toEqual(['198.51.100.0/26', '198.51.100.66', '198.51.101.1']);
    expect(b.inside(c('198.0.0.0/8')).sort()).toEqual(['198.51.100.0/26', '198.51.100.66', '198.51.101.1', '198.52.0.1']);
    expect(b.inside(c('0.0.0.0/0')).sort()).toEqual(keys.filter((k) => !k.includes(':')).sort());
    expect(b.inside(c('2001:db8::/32')).sort()).toEqual(['2001:db8:1::/48', '2001:db8::1']);
    expect(b.inside(c('2001:db8::/16')).sort()).toEqual(['2001:db8:1::/48', '2001:db8::1', '2001:db9::1']);
    expect(b.inside(c('198.51.100.66'))).toEqual([]);
  });

  it('forgets deleted entries', () => {
    const b = index(...keys);
    b.delete('198.51.100.66', c('198.51.100.66'));
    b.delete('10.0.0.0/8', c('10.0.0.0/8'));
    expect(b.inside(c('198.51.100.0/24'))).toEqual(['198.51.100.0/26']);
    expect(b.inside(c('0.0.0.0/0'))).not.toContain('10.0.0.0/8');
  });
});

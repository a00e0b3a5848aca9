/**
 * What the nftables sets should hold and what they hold, so that the offload sends the kernel only the
 * difference, in batches, and never an overlapping interval (nftables would fail the whole batch).
 *
 * `desired` is every ban (address or CIDR block) with its expiry. An element is *shadowed* when a
 * shorter block that contains it is desired too: only the widest blocks go into the kernel. Changing a
 * block marks the elements it covers as dirty, so they go in or out with it. `plan()` turns the dirty
 * keys into deletes and adds; `commit()` records that the kernel took them.
 */
import { cidrOf, formatCidr, parseCidr, type Cidr } from '../../config/cidr.js';
import type { IpFamily } from '../../config/ip-address.js';
import { timeoutFor, type NftElement } from './nft-script.js';
import { PrefixBuckets } from './prefix-buckets.js';

interface Desired {
  readonly cidr: Cidr;
  readonly expiresAt: number | null;
}

interface Installed {
  readonly family: IpFamily;
  /** The ban's expiry. */
  readonly expiresAt: number | null;
  /** When the kernel drops the element on its own (its timeout); null: never. */
  readonly kernelExpiresAt: number | null;
}

/** An element whose kernel timeout ends within this margin may already be gone when nft runs. */
const GONE_MARGIN_MS = 3000;

export interface PlannedDelete {
  readonly family: IpFamily;
  readonly key: string;
  /** True when the kernel surely still holds it (a plain delete); false: it may have timed out. */
  readonly present: boolean;
}

export interface ElementPlan {
  readonly adds: readonly NftElement[];
  readonly deletes: readonly PlannedDelete[];
  /** The state of every planned key once the plan has run (null: absent). */
  readonly after: ReadonlyMap<string, Installed | null>;
  /** The change sequence the plan saw: keys changed later stay dirty after `commit`. */
  readonly seq: number;
}

export class ElementModel {
  private readonly desired = new Map<string, Desired>();
  private readonly installed = new Map<string, Installed>();
  private readonly desiredIndex = new PrefixBuckets();
  private installedIndex = new PrefixBuckets();
  /** Dirty keys, each with the sequence number of its latest change (a change during a send stays dirty). */
  private readonly dirty = new Map<string, number>();
  private seq = 0;
  /** How many desired blocks have each prefix length, per family (for the "is it shadowed" walk). */
  private readonly prefixes: Record<IpFamily, Map<number, number>> = { 4: new Map(), 6: new Map() };

  /** Keys waiting to be sent. */
  get pending(): number {
    return this.dirty.size;
  }

  get size(): number {
    return this.desired.size;
  }

  /** Adds or updates a ban; returns the canonical key, or an error message for a bad address. */
  set(address: string, expiresAt: number | null): { key: string } | { error: string } {
    const cidr = parseCidr(address.trim());
    if (typeof cidr === 'string') return { error: cidr };
    const key = formatCidr(cidr);
    const old = this.desired.get(key);
    if (old !== undefined && old.expiresAt === expiresAt) return { key };
    if (old === undefined) {
      this.countPrefix(cidr, 1);
      this.desiredIndex.add(key, cidr);
    }
    this.desired.set(key, { cidr, expiresAt });
    // A new block changes what is shadowed; a renewed one only its own timeout.
    this.touch(key, cidr, old === undefined);
    return { key };
  }

  /** Removes a ban; false when it was not there (or the address is not valid). */
  delete(address: string): boolean {
    const cidr = parseCidr(address.trim());
    if (typeof cidr === 'string') return false;
    const key = formatCidr(cidr);
    if (!this.desired.delete(key)) return false;
    this.countPrefix(cidr, -1);
    this.desiredIndex.delete(key, cidr);
    this.touch(key, cidr, true);
    return true;
  }

  /** The changes that bring the kernel to the desired state for the dirty keys, at time `now`. */
  plan(now: number): ElementPlan {
    const adds: NftElement[] = [];
    const deletes: PlannedDelete[] = [];
    const after = new Map<string, Installed | null>();
    for (const key of this.dirty.keys()) {
      const want = this.wanted(key, now);
      const have = this.installed.get(key);
      after.set(key, want);
      if (want !== null && have !== undefined && have.expiresAt === want.expiresAt) continue;
      if (want === null && have === undefined) continue;
      if (have !== undefined) {
        const present = have.kernelExpiresAt === null || have.kernelExpiresAt > now + GONE_MARGIN_MS;
        deletes.push({ family: have.family, key, present });
      }
      if (want !== null) adds.push({ family: want.family, key, timeoutSeconds: want.timeoutSeconds });
    }
    return { adds, deletes, after, seq: this.seq };
  }

  /** The kernel took `plan`: record it and clear its keys from the dirty list. */
  commit(plan: ElementPlan): void {
    for (const [key, state] of plan.after) {
      const had = this.installed.has(key);
      if (state === null) {
        if (had) this.installedIndex.delete(key, parseCidr(key) as Cidr);
        this.installed.delete(key);
      } else {
        if (!had) this.installedIndex.add(key, parseCidr(key) as Cidr);
        this.installed.set(key, state);
      }
      if ((this.dirty.get(key) ?? Infinity) <= plan.seq) this.dirty.delete(key);
    }
  }

  /** Every element the kernel should hold (for a table built afresh), marking all other keys clean. */
  full(now: number): ElementPlan {
    const adds: NftElement[] = [];
    const after = new Map<string, Installed | null>();
    for (const key of this.installed.keys()) after.set(key, null);
    for (const key of this.dirty.keys()) after.set(key, null);
    for (const key of this.desired.keys()) {
      const want = this.wanted(key, now);
      after.set(key, want);
      if (want !== null) adds.push({ family: want.family, key, timeoutSeconds: want.timeoutSeconds });
    }
    return { adds, deletes: [], after, seq: this.seq };
  }

  /** Forgets what the kernel holds (the table was deleted). */
  clearInstalled(): void {
    this.installed.clear();
    this.installedIndex = new PrefixBuckets();
  }

  private wanted(key: string, now: number): (Installed & { readonly timeoutSeconds: number | null }) | null {
    const d = this.desired.get(key);
    if (d === undefined) return null;
    if (d.expiresAt !== null && d.expiresAt <= now) return null;
    if (this.shadowed(d.cidr)) return null;
    const timeoutSeconds = timeoutFor(d.expiresAt, now);
    const kernelExpiresAt = timeoutSeconds === null ? null : now + timeoutSeconds * 1000;
    return { family: d.cidr.family, expiresAt: d.expiresAt, kernelExpiresAt, timeoutSeconds };
  }

  /** True when a shorter desired block contains `cidr`. */
  private shadowed(cidr: Cidr): boolean {
    for (const prefix of this.prefixes[cidr.family].keys()) {
      if (prefix >= cidr.prefix) continue;
      if (this.desired.has(formatCidr(cidrOf({ family: cidr.family, words: cidr.words }, prefix)))) return true;
    }
    return false;
  }

  /** Marks `key` dirty, and, when `shadowing` changed, every desired or installed element inside it. */
  private touch(key: string, cidr: Cidr, shadowing: boolean): void {
    const seq = ++this.seq;
    this.dirty.set(key, seq);
    if (!shadowing || cidr.prefix === (cidr.family === 4 ? 32 : 128)) return;
    for (const other of this.desiredIndex.inside(cidr)) this.dirty.set(other, seq);
    for (const other of this.installedIndex.inside(cidr)) this.dirty.set(other, seq);
  }

  private countPrefix(cidr: Cidr, delta: 1 | -1): void {
    const map = this.prefixes[cidr.family];
    const n = (map.get(cidr.prefix) ?? 0) + delta;
    if (n <= 0) map.delete(cidr.prefix);
    else map.set(cidr.prefix, n);
  }
}

import { createHash } from 'node:crypto';

/** A seeded PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export class Random {
  private state: number;

  constructor(seed: string) {
    this.state = createHash('sha1').update(seed).digest().readUInt32LE(0);
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index in [0, n) skewed towards 0 (power > 1): a few items get most of the picks. */
  skewed(n: number, power = 2.5): number {
    return Math.min(n - 1, Math.floor(n * Math.pow(this.next(), power)));
  }

  weighted<T extends string | number>(weights: Record<T, number>): T {
    const entries = Object.entries(weights) as [T, number][];
    let r = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, weight] of entries) if ((r -= weight) < 0) return value;
    return entries[entries.length - 1][0];
  }

  hex(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }
}

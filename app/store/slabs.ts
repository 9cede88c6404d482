/**
 * Many small buffers carved out of few large ones. `Buffer.allocUnsafe` pools only 8 KiB at a
 * time, so a commit that writes thousands of records of a few hundred bytes to a few KiB makes a
 * fresh pool every few records (measured at 100k accounts: ~7 % of FinalizeBlock + Commit in
 * Node's pool creation), and every small Buffer of its own is an ArrayBuffer for the garbage
 * collector to track. A slab is freed once nothing carved from it is referenced, so slabs suit
 * buffers that live and die together (one block's records, one commit's values).
 */
export class Slabs {
  private slab: Buffer;
  private used = 0;

  constructor(private readonly slabSize: number) {
    this.slab = Buffer.allocUnsafeSlow(slabSize);
  }

  /** `size` uninitialised bytes: the caller writes every one of them. */
  take(size: number): Buffer {
    // A buffer as large as a quarter slab gets its own, so a slab is never mostly wasted.
    if (size > this.slabSize >>> 2) return Buffer.allocUnsafeSlow(size);
    if (this.used + size > this.slabSize) {
      this.slab = Buffer.allocUnsafeSlow(this.slabSize);
      this.used = 0;
    }
    const start = this.used;
    this.used += size;
    return this.slab.subarray(start, start + size);
  }
}

import { Slabs } from './slabs.js';

describe('Slabs', () => {
  it('hands out buffers of the asked size that never overlap, across slab boundaries', () => {
    const slabs = new Slabs(1024);
    const taken = Array.from({ length: 200 }, (_, i) => {
      const bytes = slabs.take(1 + (i % 250));
      bytes.fill(i);
      return bytes;
    });
    taken.forEach((bytes, i) => {
      expect(bytes.length).toBe(1 + (i % 250));
      expect(bytes.every((b) => b === i)).toBe(true);
    });
  });

  it('gives a buffer larger than a quarter slab its own memory', () => {
    const slabs = new Slabs(1024);
    const small = slabs.take(16);
    const large = slabs.take(600);
    expect(large.buffer).not.toBe(small.buffer);
    expect(large.byteLength).toBe(600);
    expect(slabs.take(16).buffer).toBe(small.buffer);
  });
});

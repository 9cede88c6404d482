import { decodeMemo } from './decode-memo.js';

describe('decodeMemo', () => {
  const decodeCounting = () => {
    let calls = 0;
    const decode = decodeMemo((bytes: Uint8Array) => {
      calls++;
      return { first: bytes[0] };
    });
    return { decode, calls: () => calls };
  };

  it('decodes the same array once', () => {
    const { decode, calls } = decodeCounting();
    const bytes = Uint8Array.of(7);
    expect(decode(bytes)).toBe(decode(bytes));
    expect(calls()).toBe(1);
  });

  it('decodes an equal but distinct array again (a rewritten key is a new array)', () => {
    const { decode, calls } = decodeCounting();
    expect(decode(Uint8Array.of(7))).toEqual(decode(Uint8Array.of(7)));
    expect(calls()).toBe(2);
  });

  it('hands out frozen values, so no caller can change what the others see', () => {
    const { decode } = decodeCounting();
    const value = decode(Uint8Array.of(1)) as { first: number | undefined };
    expect(() => {
      value.first = 2;
    }).toThrow(TypeError);
  });
});

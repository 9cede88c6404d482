import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import './cosmjs-types-writer.js';

describe('cosmjs-types writer allocation', () => {
  const account = BaseAccount.fromPartial({ address: 'para1xyz', accountNumber: 5n, sequence: 7n });

  it('gives every encoded message its own exact-size buffer', () => {
    const bytes = BaseAccount.encode(account).finish();
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('encodes exactly the same bytes as before (round trip and field order)', () => {
    const bytes = BaseAccount.encode(account).finish();
    expect(Buffer.from(bytes).toString('hex')).toBe('0a08706172613178797a18052007');
    expect(BaseAccount.decode(bytes)).toEqual(account);
  });
});

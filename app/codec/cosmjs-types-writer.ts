/**
 * Every encode of a cosmjs-types message (BaseAccount, Any, ABCI responses, TxMsgData…) ends in
 * `BinaryWriter.finish()`, which calls `BinaryWriter.alloc(len)`. In cosmjs-types 0.11 that static
 * builds a brand-new 8 KiB slab pool on each call, so every encoded message — however small — is a
 * view into its own 8 KiB ArrayBuffer (measured: 8,192 bytes behind a 49-byte BaseAccount, ~1.9 µs
 * vs ~1.1 µs an encode). A block keeps thousands of them alive in its write cache, and the garbage
 * collector becomes one of the largest costs of FinalizeBlock and CheckTx.
 *
 * This module, imported once for its effect by the chain composition and the ABCI server, replaces
 * that static with an exact-size allocation. The bytes written are the same; only where they live
 * changes. Nothing in cosmjs-types relies on the pooling (the returned view is all it uses).
 */
import { BinaryWriter } from 'cosmjs-types/binary';

// Idempotent: importing the module twice installs the same allocator.
(BinaryWriter as unknown as { alloc(size: number): Uint8Array }).alloc = (size: number) => new Uint8Array(size);

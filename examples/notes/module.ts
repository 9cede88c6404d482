/**
 * An example third-party module, outside the core folders: its own proto (acme.notes.v1), Msg,
 * query and genesis, wired into a chain by passing it to `runCli({ extraModules })` (see chain.ts)
 * or `composeChain({ extraModules })`, without editing any core file.
 */
import { readFileSync } from 'node:fs';
import { StoreKey } from '../../app/store/types.js';
import { registerError } from '../../app/types/errors.js';
import type { ChainConfig } from '../../app/types/chain-config.js';
import type { Context } from '../../app/types/context.js';
import { defineMsg, defineQuery, type Module } from '../../app/types/module.js';
import {
  GenesisState,
  MsgCreateNote,
  MsgCreateNoteResponse,
  Note,
  QueryNotesByAuthorRequest,
  QueryNotesByAuthorResponse,
} from './generated/acme/notes/v1/notes.js';

export const NOTES_MODULE = 'notes';
const ErrEmptyNote = registerError(NOTES_MODULE, 2, 'empty note');
const ErrNoteTooLong = registerError(NOTES_MODULE, 3, 'note too long');
const MAX_NOTE_LENGTH = 280;

const storeKey = new StoreKey(NOTES_MODULE);
const encoder = new TextEncoder();

/** Notes are keyed by author then id, so "all notes of an author" is one prefix scan. */
function noteKey(author: string, id: string): Uint8Array {
  return encoder.encode(`${author}/${id}`);
}
function authorPrefix(author: string): Uint8Array {
  return encoder.encode(`${author}/`);
}

function writeNote(ctx: Context, note: Note): void {
  ctx.kv(storeKey).set(noteKey(note.author, note.id), Note.encode(note).finish());
}

function notesOf(ctx: Context, author?: string): Note[] {
  const store = ctx.kv(storeKey);
  const prefix = author === undefined ? undefined : authorPrefix(author);
  const end = prefix === undefined ? undefined : encoder.encode(`${author}0`); // '0' follows '/'
  return [...store.iterator(prefix, end)].map((p) => Note.decode(p.value));
}

export function createNotesModule(config: ChainConfig): Module {
  return {
    name: NOTES_MODULE,
    storeKey,
    descriptors: readFileSync(new URL('./generated/descriptors.binpb', import.meta.url)),
    msgs: [
      defineMsg({
        typeUrl: '/acme.notes.v1.MsgCreateNote',
        type: MsgCreateNote,
        responseType: MsgCreateNoteResponse,
        signers: (msg) => [msg.author],
        validateBasic(msg) {
          config.addresses.decode(msg.author, 'author');
          if (msg.text.trim() === '') throw ErrEmptyNote.wrap('write some text in the note');
          if (msg.text.length > MAX_NOTE_LENGTH)
            throw ErrNoteTooLong.wrap(`a note holds at most ${MAX_NOTE_LENGTH} characters, got ${msg.text.length}`);
        },
        handle(ctx, msg) {
          const id = `${ctx.height}-${ctx.txIndex}`;
          writeNote(ctx, { author: msg.author, id, text: msg.text });
          ctx.events.emit('notes_created', { author: msg.author, id });
          return { id };
        },
      }),
    ],
    queries: [
      defineQuery({
        path: '/acme.notes.v1.Query/NotesByAuthor',
        requestType: QueryNotesByAuthorRequest,
        responseType: QueryNotesByAuthorResponse,
        handle: (ctx, req) => ({ notes: notesOf(ctx, req.author) }),
      }),
    ],
    genesis: {
      defaultGenesis: () => GenesisState.toJSON({ notes: [] }),
      validate(json) {
        const genesis = GenesisState.fromJSON(json);
        for (const note of genesis.notes) config.addresses.decode(note.author, 'note author');
        return genesis;
      },
      init(ctx, genesis: GenesisState) {
        for (const note of genesis.notes) writeNote(ctx, note);
      },
      export: (ctx) => GenesisState.toJSON({ notes: notesOf(ctx) }),
    },
  };
}

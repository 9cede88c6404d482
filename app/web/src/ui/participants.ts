/** Participant names by address, loaded once per page view and shared. */
import { useEffect, useState } from 'preact/hooks';
import type { Participant } from '../../../../generated/parazone/drugregistry/v1/types.js';
import { drugQuery, PAGE } from '../chain/queries.js';

let cached: Promise<Participant[]> | undefined;

export function loadParticipants(refresh = false): Promise<Participant[]> {
  if (refresh || !cached) cached = drugQuery.participants({ pagination: { ...PAGE } as never }).then((r) => r.participants);
  cached.catch(() => (cached = undefined));
  return cached;
}

export function useParticipants(): Participant[] {
  const [list, setList] = useState<Participant[]>([]);
  useEffect(() => {
    let live = true;
    loadParticipants().then(
      (p) => live && setList(p),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return list;
}

export function nameOf(participants: readonly Participant[], address: string): string | undefined {
  return participants.find((p) => p.address === address)?.name || undefined;
}

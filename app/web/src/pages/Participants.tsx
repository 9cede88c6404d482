export function ParticipantsPage() {
  return <p>…</p>;
}

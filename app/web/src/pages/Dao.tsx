export function DaoPage() {
  return <p>…</p>;
}

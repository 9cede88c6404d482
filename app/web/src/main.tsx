import './chain/buffer-shim.js';
import './styles.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { DaoPage } from './pages/Dao.js';
import { ExplorerPage } from './pages/Explorer.js';
import { ParticipantsPage } from './pages/Participants.js';
import { VerifyPage } from './pages/Verify.js';

const PAGES = [
  { path: 'verify', label: 'Verify', view: VerifyPage },
  { path: 'participants', label: 'Participants', view: ParticipantsPage },
  { path: 'dao', label: 'Regulator & DAO', view: DaoPage },
  { path: 'explorer', label: 'Explorer', view: ExplorerPage },
] as const;

function currentPath(): string {
  const path = location.hash.replace(/^#\/?/, '');
  return PAGES.some((p) => p.path === path) ? path : 'verify';
}

function App() {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const onHash = () => setPath(currentPath());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const page = PAGES.find((p) => p.path === path)!;
  useEffect(() => {
    document.title = `${page.label} · Parazone`;
  }, [page]);
  const View = page.view;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">Parazone</span>
        <nav aria-label="pages">
          {PAGES.map((p) => (
            <a href={`#/${p.path}`} aria-current={p.path === path ? 'page' : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <View />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);

import type { CSSProperties } from 'react';
import type { PartnerSession } from '../types.ts';

// Only a plain hex colour reaches the style, so a bad value from the API cannot break the page.
function accentStyle(accentColor: string | null): CSSProperties | undefined {
  if (!accentColor || !/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(accentColor)) return undefined;
  return { '--program-accent': accentColor } as CSSProperties;
}

export function PartnerHomePlaceholder({ session }: { session: PartnerSession }) {
  const { partner, program } = session;
  return (
    <div className="portal" style={accentStyle(program.accentColor)}>
      <header className="program-header">
        {program.logoUrl ? <img src={program.logoUrl} alt="" className="program-logo" /> : null}
        <span className="program-name">{program.name}</span>
      </header>
      <main className="auth-card">
        <h1>Welcome, {partner.name}</h1>
        <p className="muted">Signed in as {partner.email}.</p>
        <p>Your codes will appear here.</p>
      </main>
    </div>
  );
}

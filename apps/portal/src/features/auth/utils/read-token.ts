/** The one-time token of an emailed link (`?token=...`), or null when the link lost it. */
export function readToken(search: string): string | null {
  const token = new URLSearchParams(search).get('token')?.trim();
  return token && token.length >= 16 ? token : null;
}

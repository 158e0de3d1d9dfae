// Mirrors the API's portal auth responses; move to @codetrack/contracts once the API publishes them.
export type PartnerSession = {
  partner: { id: string; name: string; email: string };
  program: { id: string; name: string; logoUrl: string | null; accentColor: string | null };
  csrfToken: string;
};

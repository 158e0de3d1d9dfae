// Preloaded into the Prisma CLI: its JS engine leaves timers of several seconds running after the
// command has finished, which keeps node alive. Unref'ing long timers lets it exit on time.
const original = globalThis.setTimeout;
globalThis.setTimeout = function patchedSetTimeout(fn, ms, ...args) {
  const timer = original(fn, ms, ...args);
  if (typeof ms === 'number' && ms >= 5000 && typeof timer?.unref === 'function') timer.unref();
  return timer;
};

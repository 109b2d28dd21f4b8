// The one rule for skipped tests: under CI=true a skip fails the run, with its reason, unless it
// is for hardware no CI machine here has (a GPU, or a GPU package that loads): such skips give a
// reason starting with HARDWARE_SKIP and are listed at the end of the run. Used by run-tests.mjs
// and the VS Code suites (scripts/e2e).
export const HARDWARE_SKIP = 'hardware:';

/**
 * Prints the skips and returns the exit status they call for: 1 in CI when any skip is not a
 * hardware one, else 0.
 * @param {{ name: string, file?: string, reason: string }[]} skips
 * @param {string} suite
 */
export function judgeSkips(skips, suite) {
  if (skips.length === 0) return 0;
  const hardware = skips.filter((s) => s.reason.startsWith(HARDWARE_SKIP));
  const others = skips.filter((s) => !s.reason.startsWith(HARDWARE_SKIP));
  const line = (s) => `  ${s.name}${s.file ? ` (${s.file})` : ''}: ${s.reason}`;
  if (hardware.length) process.stdout.write(`${suite}: ${hardware.length} skipped for hardware this machine lacks:\n${hardware.map(line).join('\n')}\n`);
  if (others.length === 0) return 0;
  const ci = process.env.CI === 'true';
  process.stdout.write(`${suite}: ${others.length} skipped${ci ? ', which fails the run under CI=true (install what they lack first)' : ''}:\n${others.map(line).join('\n')}\n`);
  return ci ? 1 : 0;
}

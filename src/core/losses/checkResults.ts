/** What Check Loss reports (core/losses/checkLoss.ts), without tfjs: the extension shows it. */
export interface CheckResult {
  name: string;
  passed: boolean;
  /** One line with the numbers behind the verdict. */
  detail: string;
}

/** The results as lines: `✓ passed  name: detail` / `✗ FAILED  name: detail`. */
export function formatCheckResults(results: readonly CheckResult[]): string {
  return results.map((r) => `${r.passed ? '✓ passed' : '✗ FAILED'}  ${r.name}: ${r.detail}`).join('\n');
}

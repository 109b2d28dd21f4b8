// A node:test reporter that writes one JSON line per skipped test ({ name, file, reason }), so the
// runner can refuse skips in CI (scripts/run-tests.mjs).
export default async function* skipReporter(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.skip !== undefined && event.data.skip !== false) {
      const reason = typeof event.data.skip === 'string' ? event.data.skip : '(no reason given)';
      yield `${JSON.stringify({ name: event.data.name, file: event.data.file, reason })}\n`;
    }
  }
}

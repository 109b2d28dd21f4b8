import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/core/config/configError';
import { validateConfig } from '../../../src/core/config/validate';

/** The problems of an invalid config, as formatted lines; fails the test when the config is accepted. */
export function problems(json: unknown): string[] {
  try {
    validateConfig(json, 'cfg.json');
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.message.split('\n');
  }
  assert.fail('config was accepted');
}

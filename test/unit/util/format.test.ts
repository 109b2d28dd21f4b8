// Text formats for pages meant to be shared: a readable UTC time, and no home folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readableTime, withoutHome } from '../../../src/core/util/format';

test('times read "7 Dec 2026, 21:05 UTC" from a Date or an ISO string; other text stays', () => {
  assert.equal(readableTime(new Date('2026-12-07T21:05:59.999Z')), '7 Dec 2026, 21:05 UTC');
  assert.equal(readableTime('2026-01-31T00:00:00+02:00'), '30 Jan 2026, 22:00 UTC');
  assert.equal(readableTime('not a time'), 'not a time');
});

test('the home folder becomes ~, a longer name that starts the same does not', () => {
  assert.equal(withoutHome('from /home/ada/data and /home/ada', '/home/ada'), 'from ~/data and ~');
  assert.equal(withoutHome('/home/adam/x /home/ada.old', '/home/ada'), '/home/adam/x /home/ada.old');
  assert.equal(withoutHome('/root/a', '/root/'), '~/a');
  assert.equal(withoutHome('/x', '/'), '/x', 'a home of / replaces nothing');
});

// Where each PyTorch build keeps its version and what C++ it needs, checked on folders laid out
// as each ships them (file names and defines as in the real headers, bodies cut to what is read).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeLibtorch, locateLibtorch } from '../../../src/core/backend/torch/libtorch';

const DEFINES = (major: number, minor: number, patch: number) =>
  `#pragma once\n#define TORCH_VERSION_MAJOR ${major}\n\n/// Indicates the minor version of LibTorch.\n#define TORCH_VERSION_MINOR ${minor}\n#define TORCH_VERSION_PATCH ${patch}\n#define TORCH_VERSION \\\n  "${major}.${minor}.${patch}"\n`;
const INCLUDES_HEADERONLY = '#if !defined(TORCH_STABLE_ONLY) && !defined(TORCH_TARGET_VERSION)\n#include <torch/headeronly/version.h>\n#endif\n';
const ATEN_CXX20 = '#pragma once\n#if !defined(_MSC_VER) && __cplusplus < 202002L\n#error C++20 or later compatible compiler is required to use ATen.\n#endif\n#include <ATen/Context.h>\n';
const ATEN_PLAIN = '#pragma once\n#if !defined(_MSC_VER) && __cplusplus < 201703L\n#error C++17 or later compatible compiler is required to use ATen.\n#endif\n#include <ATen/Context.h>\n';

interface Layout {
  versionH: string;
  headeronly?: string;
  versionPy?: string;
  buildVersion?: string;
  aten: string;
  cuda?: boolean;
}

/** A torch folder (include/, lib/ and what a pip package or a libtorch download has at its top). */
function lay(layout: Layout): string {
  const root = mkdtempSync(path.join(tmpdir(), 'losslab-libtorch-'));
  const api = path.join(root, 'include', 'torch', 'csrc', 'api', 'include', 'torch');
  mkdirSync(api, { recursive: true });
  writeFileSync(path.join(api, 'version.h'), layout.versionH);
  writeFileSync(path.join(api, 'torch.h'), '#pragma once\n');
  if (layout.headeronly) {
    mkdirSync(path.join(root, 'include', 'torch', 'headeronly'), { recursive: true });
    writeFileSync(path.join(root, 'include', 'torch', 'headeronly', 'version.h'), layout.headeronly);
  }
  mkdirSync(path.join(root, 'include', 'ATen'), { recursive: true });
  writeFileSync(path.join(root, 'include', 'ATen', 'ATen.h'), layout.aten);
  if (layout.versionPy) writeFileSync(path.join(root, 'version.py'), layout.versionPy);
  if (layout.buildVersion) writeFileSync(path.join(root, 'build-version'), layout.buildVersion);
  mkdirSync(path.join(root, 'lib'));
  for (const lib of ['torch', 'torch_cpu', 'c10', ...(layout.cuda ? ['torch_cuda', 'c10_cuda'] : [])]) writeFileSync(path.join(root, 'lib', `lib${lib}.so`), '_ZN3c10__cxx11');
  return root;
}

const locate = (root: string) => locateLibtorch({ LIBTORCH: root, PATH: '' });

test("Debian's 1.13 and PyTorch up to 2.x: the version from torch/version.h, C++17", () => {
  const { found } = locate(lay({ versionH: DEFINES(1, 13, 0), aten: ATEN_PLAIN }));
  assert.ok(found);
  assert.equal(found.version, '1.13.0');
  assert.equal(found.build, undefined);
  assert.equal(found.cxxStandard, 'c++17');
  assert.equal(found.cuda, false);
});

test('a current CPU wheel: torch/version.h only includes headeronly/version.h; version.py adds the local tag', () => {
  const { found } = locate(
    lay({ versionH: INCLUDES_HEADERONLY, headeronly: DEFINES(2, 13, 0), versionPy: "__all__ = ['__version__']\n__version__ = '2.13.0+cpu'\ndebug = False\n", aten: ATEN_PLAIN }),
  );
  assert.ok(found);
  assert.equal(found.version, '2.13.0');
  assert.equal(found.build, '2.13.0+cpu');
  assert.equal(found.cxxStandard, 'c++17');
  assert.match(describeLibtorch(found), /^libtorch 2\.13\.0\+cpu \(LIBTORCH=/);
});

test('the current CUDA build: C++20 because ATen.h demands it, CUDA because libtorch_cuda is there', () => {
  const { found } = locate(lay({ versionH: INCLUDES_HEADERONLY, headeronly: DEFINES(2, 14, 1), versionPy: "__version__ = '2.14.1+cu130'\n", aten: ATEN_CXX20, cuda: true }));
  assert.ok(found);
  assert.equal(found.version, '2.14.1');
  assert.equal(found.build, '2.14.1+cu130');
  assert.equal(found.cxxStandard, 'c++20');
  assert.equal(found.cuda, true);
  assert.match(describeLibtorch(found), /2\.14\.1\+cu130 with CUDA/);
});

test('a libtorch download whose headers carry no version: its build-version file', () => {
  const { found } = locate(lay({ versionH: INCLUDES_HEADERONLY, buildVersion: '2.5.1+cu124\n', aten: ATEN_PLAIN, cuda: true }));
  assert.ok(found);
  assert.equal(found.version, '2.5.1');
  assert.equal(found.build, '2.5.1+cu124');
});

test('no version in any layout, or no C++ headers: refused, saying where it looked', () => {
  const none = locate(lay({ versionH: INCLUDES_HEADERONLY, aten: ATEN_PLAIN }));
  assert.equal(none.found, undefined);
  assert.match(none.rejected[0], /no version in torch\/version\.h, torch\/headeronly\/version\.h, version\.py or build-version/);
  const empty = mkdtempSync(path.join(tmpdir(), 'losslab-libtorch-'));
  const noHeaders = locate(empty);
  assert.equal(noHeaders.found, undefined);
  assert.match(noHeaders.rejected[0], /no C\+\+ headers \(torch\/csrc\/api\/include\/torch\/torch\.h\)/);
});

test('headers and version.py that disagree: the headers win, without a local tag from another version', () => {
  const { found } = locate(lay({ versionH: DEFINES(2, 4, 0), versionPy: "__version__ = '2.3.1+cpu'\n", aten: ATEN_PLAIN }));
  assert.equal(found?.version, '2.4.0');
  assert.equal(found?.build, undefined);
});

// What the extension's bundle gets for tfjs-core: the extension reads the loss descriptors (names,
// schemas, labels) but never builds a head, which only the training worker does. Any use throws.
module.exports = new Proxy(
  {},
  {
    get(_target, key) {
      if (key === '__esModule' || typeof key === 'symbol') return undefined;
      throw new Error(`tfjs-core.${String(key)} used in the extension host: loss heads run in the training worker`);
    },
  },
);

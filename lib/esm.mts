// The ES module entry: the CommonJS entry's own objects (Node finds its named exports), so that
// `instanceof` works across both and the classes keep their types (`import { type BlockWatcher }`).
export * from './index.js';

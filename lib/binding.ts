import path from 'node:path';
import type * as Binding from '../binding';

export type NativeBinding = typeof Binding;

let loaded: { binding: NativeBinding } | { error: Error } | undefined;

/**
 * Loads the native addon on first use, never at import: importing wfp-blocks must not throw on any
 * OS, even where no build exists. WFP_BLOCKS_BINARY names the .node file to load (for a bundled
 * application, whose code no longer sits beside the package's prebuilds); otherwise node-gyp-build
 * prefers a local build, then the bundled prebuild.
 */
export function loadBinding(): NativeBinding {
  if (!loaded) {
    try {
      const explicit = process.env.WFP_BLOCKS_BINARY;
      const nodeGypBuild = require('node-gyp-build') as (dir: string) => NativeBinding;
      // A variable require: bundlers leave it alone instead of trying to inline a .node file.
      const load = require;
      loaded = { binding: explicit ? (load(path.resolve(explicit)) as NativeBinding) : nodeGypBuild(path.join(__dirname, '..')) };
    } catch (error) {
      loaded = { error: error as Error };
    }
  }
  if ('error' in loaded) throw loaded.error;
  return loaded.binding;
}

import path from 'node:path';
import type * as Binding from '../binding';

export type NativeBinding = typeof Binding;

let loaded: { binding: NativeBinding } | { error: Error } | undefined;

/**
 * Loads the native addon on first use, never at import: importing wfp-blocks must not throw on any
 * OS, even where no build exists. node-gyp-build prefers a local build, then the bundled prebuild.
 */
export function loadBinding(): NativeBinding {
  if (!loaded) {
    try {
      const nodeGypBuild = require('node-gyp-build') as (dir: string) => NativeBinding;
      loaded = { binding: nodeGypBuild(path.join(__dirname, '..')) };
    } catch (error) {
      loaded = { error: error as Error };
    }
  }
  if ('error' in loaded) throw loaded.error;
  return loaded.binding;
}

// `engines` must not promise Node versions that cmake-js 8 (which compiles the addon where no prebuild
// fits) refuses: a source build there would fail. The declared floor itself runs in CI
// (scripts/node-floor.sh: a source install and the addon's test files under that exact Node).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..');
const json = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

describe('the Node versions the package declares', () => {
  it('are exactly the ones cmake-js, its compiler, accepts', () => {
    const ours = json('package.json').engines.node;
    const cmakeJs = json('node_modules/cmake-js/package.json').engines.node;
    expect(ours).toBe(cmakeJs);
    expect(json('package.json').dependencies['cmake-js']).toMatch(/^\^8\./);
  });

  it('the floor is tested in CI at exactly that version', () => {
    const floor = /\d+\.\d+\.\d+/.exec(json('package.json').engines.node)?.[0];
    expect(floor).toBe('20.17.0');
    expect(readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/npm run test:floor/);
    expect(json('package.json').scripts['test:floor']).toMatch(/node-floor\.sh/);
  });
});

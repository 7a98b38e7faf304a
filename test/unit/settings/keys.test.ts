import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_SETTINGS, SETTING_KEYS, SHELL_SETTING_KEYS } from '../../../src/core/settings';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('settings keys: package.json and code agree', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const declared = Object.keys(pkg.contributes.configuration.properties as Record<string, unknown>).sort();

  it('every contributed appsierra.* setting is read by the code, and every key the code reads is contributed', () => {
    const code = [...SETTING_KEYS, ...SHELL_SETTING_KEYS].map((k) => `appsierra.${k}`).sort();
    assert.deepStrictEqual(declared, code);
  });

  it('every key names a leaf of the defaults, and package.json declares the same default', () => {
    const props = pkg.contributes.configuration.properties as Record<string, { default?: unknown }>;
    for (const key of SETTING_KEYS) {
      let node: unknown = DEFAULT_SETTINGS;
      for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
      assert.notStrictEqual(node, undefined, `${key} is not in DEFAULT_SETTINGS`);
      assert.deepStrictEqual(props[`appsierra.${key}`].default, node, `default of appsierra.${key}`);
    }
  });
});

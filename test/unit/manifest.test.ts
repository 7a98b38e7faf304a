import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

// The manifest is data VS Code trusts blindly: a walkthrough link to a command that does not exist, or media that is
// not packaged, fails only in front of a new user. These checks keep it true.
const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
const views = new Set<string>(Object.values(pkg.contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id));
const isKnownCommand = (id: string) => commands.has(id) || (id.endsWith('.focus') && views.has(id.slice(0, -'.focus'.length)));

describe('package.json manifest', () => {
  it('keybindings run contributed commands; the plain Ctrl+Shift+R is scoped to APPSIERRA views', () => {
    const bindings = pkg.contributes.keybindings as { command: string; key: string; when?: string }[];
    assert.ok(bindings.length > 0);
    for (const b of bindings) assert.ok(commands.has(b.command), `keybinding for unknown command ${b.command}`);
    const plain = bindings.find((b) => b.key === 'ctrl+shift+r');
    // Ctrl+Shift+R is the editor's Refactor: never bound globally.
    assert.ok(plain && plain.when && /focusedView/.test(plain.when), 'Ctrl+Shift+R must carry a focusedView when clause');
    assert.ok(bindings.some((b) => !b.when && b.key.includes(' ')), 'a chord works everywhere');
  });

  it('the Getting Started walkthrough: every step has packaged media, working command links and a completion event', () => {
    const [walk] = pkg.contributes.walkthroughs as { steps: { id: string; description: string; media: { markdown: string }; completionEvents: string[] }[] }[];
    assert.ok(walk && walk.steps.length >= 3);
    for (const step of walk.steps) {
      assert.ok(fs.existsSync(path.join(root, step.media.markdown)), `${step.id}: ${step.media.markdown} missing`);
      for (const m of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(isKnownCommand(m[1]), `${step.id}: link to unknown command ${m[1]}`);
      assert.ok(step.completionEvents.length > 0, `${step.id} never completes itself`);
      for (const e of step.completionEvents) {
        const [kind, arg] = e.split(/:(.*)/);
        if (kind === 'onCommand') assert.ok(commands.has(arg), `${step.id}: ${e}`);
        else if (kind === 'onView') assert.ok(views.has(arg), `${step.id}: ${e}`);
        else assert.ok(kind === 'onContext' && /^appsierra\./.test(arg), `${step.id}: unexpected completion event ${e}`);
      }
    }
    // The journal step links the command and completes when it runs (issue 14).
    const journal = walk.steps.find((s) => s.completionEvents.includes('onCommand:appsierra.openJournal'));
    assert.ok(journal && journal.description.includes('(command:appsierra.openJournal)'), 'no step opens the journal');
  });
});

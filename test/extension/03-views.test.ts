import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ViewId } from '../../src/shared/protocol';
import { api, extension, waitFor, waitForWebview } from './helpers';

const VIEWS: ViewId[] = ['balance', 'position', 'stats'];

describe('views', () => {
  it('package.json contributes the APPSIERRA container with the three webview views', () => {
    const c = extension().packageJSON.contributes;
    const container = (c.viewsContainers.activitybar as { id: string; title: string }[]).find((v) => v.id === 'appsierra');
    assert.ok(container, 'no activity bar container "appsierra"');
    assert.strictEqual(container.title, 'APPSIERRA');
    const views = (c.views.appsierra as { id: string; name: string; type: string }[]).map((v) => `${v.id}:${v.name}:${v.type}`);
    assert.deepStrictEqual(views, ['appsierra.balance:Balance:webview', 'appsierra.position:Position:webview', 'appsierra.stats:Stats:webview']);
  });

  for (const view of VIEWS) {
    it(`appsierra.${view} resolves when focused and receives a snapshot`, async () => {
      const a = await api();
      await vscode.commands.executeCommand(`appsierra.${view}.focus`);
      await waitFor(() => a.viewResolved(view), `view ${view} to resolve`, 20000);
      // The page says `ready`, then the host posts a full snapshot.
      const posted = await waitForWebview(() => a.lastPosted(view), `a snapshot posted to ${view}`, 30000);
      assert.strictEqual(typeof posted, 'object');
      assert.strictEqual((posted as { loading?: boolean }).loading, false, `${view} got a loading snapshot only`);
    });
  }
});

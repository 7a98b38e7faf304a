/** The API VS Code injects into webviews (call once per page). */
interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State = unknown>(): VsCodeApi<State>;

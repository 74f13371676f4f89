/**
 * What the stack browser tests (tests/e2e/stacks*.test.ts) share: the project's containers as
 * Docker has them, the CodeMirror editors of the stack editor, and the end of an operation card.
 */
import type { Page } from "playwright-core";
import { dockerApi } from "./docker.ts";

/** A deploy pulls nothing (the images are local) but starts containers: seconds. */
export const DEPLOY_MS = 60_000;

type Listed = { Id: string; Names: string[]; State: string; Labels: Record<string, string> };

/** A compose project's containers by service, straight from Docker. */
export async function projectContainers(project: string): Promise<Map<string, Listed>> {
  const filters = encodeURIComponent(
    JSON.stringify({ label: [`com.docker.compose.project=${project}`] }),
  );
  const list = await dockerApi<Listed[]>(`/containers/json?all=1&filters=${filters}`);
  return new Map(list.map((c) => [c.Labels["com.docker.compose.service"], c]));
}

/** The CodeMirror editor over the textarea of `file` (compose or env). */
export function codeEditor(page: Page, file: "compose" | "env") {
  return page.locator(`.code-editor-${file} .cm-content`);
}

/** Waits for the operation card to end, and says how (done or failed) with its text. */
export async function opOutcome(page: Page): Promise<{ state: string; text: string }> {
  const outcome = page.locator("#stack-op-outcome");
  await outcome.waitFor({ timeout: DEPLOY_MS });
  return {
    state: (await outcome.getAttribute("data-state")) ?? "",
    text: await outcome.innerText(),
  };
}

import type { Locator, Page } from "@playwright/test";

/**
 * What scrolls sideways on the page: the document itself, and every shown element whose
 * content is wider than it and that scrolls (a table's region scrolling inside a phone's
 * screen hides its right-hand columns just as well). Empty when everything fits the width.
 */
export function sidewaysScrolling(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`the page: ${root.scrollWidth} px in ${root.clientWidth} px`);
    for (const element of document.querySelectorAll<HTMLElement>("body *")) {
      const { overflowX } = getComputedStyle(element);
      if (overflowX !== "auto" && overflowX !== "scroll") continue;
      if (element.scrollWidth <= element.clientWidth || element.getClientRects().length === 0) continue;
      const name = element.getAttribute("aria-label") ?? element.tagName.toLowerCase();
      found.push(`${name}: ${element.scrollWidth} px in ${element.clientWidth} px`);
    }
    return found;
  });
}

/** Where an element ends on the right, in px from the viewport's left: on screen when within its width. */
export async function rightEdge(element: Locator): Promise<number> {
  const box = await element.boundingBox();
  if (!box) throw new Error("The element is not shown.");
  return box.x + box.width;
}

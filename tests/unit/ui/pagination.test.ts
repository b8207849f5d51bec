import { describe, expect, it } from "vitest";

import { pageNumbers } from "@/components/ui/Pagination";

describe("page numbers", () => {
  it("shows the first, the last and two either side of the current page, with gaps", () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 4)).toEqual([1, 2, 3, 4]);
    expect(pageNumbers(10, 40)).toEqual([1, null, 8, 9, 10, 11, 12, null, 40]);
    expect(pageNumbers(40, 40)).toEqual([1, null, 38, 39, 40]);
  });
});

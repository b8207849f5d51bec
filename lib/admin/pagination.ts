import { z } from "zod";

export const PAGE_SIZE = 50;

const PageParam = z.coerce.number().int().min(1).max(1_000_000).catch(1);

export function pageFrom(searchParams: Record<string, string | string[] | undefined>): number {
  return PageParam.parse(searchParams.page);
}

export function pageWindow(page: number, total: number, size = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(page, pages);
  return { skip: (current - 1) * size, take: size, page: current, pages, total };
}

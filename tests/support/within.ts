/** `work`, or a failure naming what it waited for: a test fails instead of hanging. */
export function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Gave up after ${ms} ms waiting for ${what}.`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

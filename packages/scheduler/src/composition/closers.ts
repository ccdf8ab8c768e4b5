import type { Logger } from '@banca/domain/ports';

/**
 * The backends a process opened, closed in reverse order of opening: the broker and Redis before
 * the pool they may still use. A failure to close one is logged and the others still close.
 */
export class Closers {
  private readonly closers: Array<{ name: string; close: () => Promise<void> }> = [];

  constructor(private readonly logger: Logger) {}

  add(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  async closeAll(): Promise<void> {
    for (const { name, close } of this.closers.splice(0).reverse()) {
      await close().catch((error: unknown) => this.logger.warn('BACKEND_CLOSE_FAIL', { backend: name, error: error instanceof Error ? error.message : String(error) }));
    }
  }
}

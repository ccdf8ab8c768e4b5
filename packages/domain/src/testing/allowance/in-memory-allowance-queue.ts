import { allowanceMessageBody, type AllowanceRunMessage } from '../../allowance/allowance-message';
import type { AllowanceQueue } from '../../allowance/allowance.ports';

/** Records what was published, in order; `failNext` makes the next publish fail like a lost broker. */
export class InMemoryAllowanceQueue implements AllowanceQueue {
  readonly published: AllowanceRunMessage[] = [];
  private failures = 0;

  failNext(times = 1): void {
    this.failures += times;
  }

  async publish(messages: readonly AllowanceRunMessage[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('broker unavailable');
    }
    this.published.push(...messages.map((message) => ({ ...message })));
  }

  /** Takes every published message, as a consumer would; bodies are what the broker carries. */
  drain(): Array<Pick<AllowanceRunMessage, 'scheduleId' | 'runAt' | 'terms'>> {
    return this.published.splice(0).map((message) => JSON.parse(allowanceMessageBody(message)) as Pick<AllowanceRunMessage, 'scheduleId' | 'runAt' | 'terms'>);
  }
}

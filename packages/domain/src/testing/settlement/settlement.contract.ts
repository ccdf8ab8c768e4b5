import { carryForwardContract } from './carry-forward.contract';
import { settlementChainContract } from './settlement-chain.contract';
import { settlementConfigContract } from './settlement-config.contract';
import type { SettlementContractHarness } from './settlement-contract.harness';
import { statementRepositoryContract } from './statement-repository.contract';

/**
 * The behaviour every implementation of SettlementConfigRepository and StatementRepository must
 * show (docs/architecture.md, The banca rules). Call it from an adapter's test file; `makeHarness` gives a fresh, empty store
 * for each test.
 */
export function settlementPortsContract(name: string, makeHarness: () => Promise<SettlementContractHarness>): void {
  describe(`settlement ports contract: ${name}`, () => {
    let current: SettlementContractHarness | undefined;
    beforeEach(async () => {
      current = await makeHarness();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    const harness = (): SettlementContractHarness => {
      if (!current) throw new Error('the settlement harness is only available inside a test');
      return current;
    };

    settlementConfigContract(harness);
    statementRepositoryContract(harness);
    carryForwardContract(harness);
    settlementChainContract(harness);
  });
}

import { expect } from 'chai';
import { DomainError } from '../kernel/domain-error';
import { SORTEO_STATUSES, assertTransition, canTransition, isSoldTicketStatus, type SorteoStatus } from './sorteo-lifecycle';

const ALLOWED = ['SCHEDULED→OPEN', 'OPEN→EVALUATED', 'EVALUATED→CLOSED', 'OPEN→CLOSED'];

describe('sorteo lifecycle', () => {
  for (const from of SORTEO_STATUSES) {
    for (const to of SORTEO_STATUSES) {
      const allowed = ALLOWED.includes(`${from}→${to}`);
      it(`${allowed ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canTransition(from, to)).to.equal(allowed);
        if (allowed) {
          expect(() => assertTransition(from, to)).to.not.throw();
        } else {
          expect(() => assertTransition(from, to))
            .to.throw(DomainError)
            .that.deep.includes({ code: 'SORTEO.INVALID_TRANSITION', details: { from, to } });
        }
      });
    }
  }

  it('refuses statuses it does not know', () => {
    expect(canTransition('DRAFT' as SorteoStatus, 'OPEN')).to.equal(false);
    expect(canTransition('SCHEDULED', 'open' as SorteoStatus)).to.equal(false);
  });

  it('counts every ticket status as a sale except CANCELLED and EXCLUDED', () => {
    expect(['ACTIVE', 'PAID', 'WINNER'].map(isSoldTicketStatus)).to.deep.equal([true, true, true]);
    expect(['CANCELLED', 'EXCLUDED'].map(isSoldTicketStatus)).to.deep.equal([false, false]);
  });
});

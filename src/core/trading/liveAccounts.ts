/**
 * What the server says of each account while connected: the accounts seen (trade accounts,
 * fills, positions, balances, SIM events), the latest POSITION_UPDATE per contract and the latest
 * ACCOUNT_BALANCE_UPDATE per account. The journal feeds it; everyone else reads it.
 */
import type { AccountBalance } from './fromDtc';
import type { ServerPositionObservation } from './engine';
import { contractKey } from './keys';

export class LiveAccounts {
  private readonly names = new Set<string>();
  private readonly positions = new Map<string, ServerPositionObservation>();
  private readonly balances = new Map<string, AccountBalance>();

  see(account: string): void {
    if (account) this.names.add(account);
  }

  setPosition(p: ServerPositionObservation): void {
    this.see(p.account);
    this.positions.set(contractKey(p.account, p.symbol), p);
  }

  setBalance(b: AccountBalance): void {
    this.see(b.account);
    this.balances.set(b.account, b);
  }

  /** Every account seen, in arrival order. */
  accounts(): string[] {
    return [...this.names];
  }

  position(account: string, symbol: string): ServerPositionObservation | undefined {
    return this.positions.get(contractKey(account, symbol));
  }

  balance(account: string): AccountBalance | undefined {
    return this.balances.get(account);
  }
}

import type { Command, PriorDenial } from './commands.ts';

/** The commands a screen is asked about: every way an order can add exposure. */
export type ScreenedCommand = Extract<Command, { kind: 'SubmitOrder' | 'SubmitOrderList' | 'ModifyOrder' }>;

/**
 * A check in front of the gate that may wait on I/O (the firm budget reserving over NATS). The
 * engine asks it about every submit, order list and modify, whoever sends them (a strategy, the
 * API, the order emulator's releases and contingent legs, an algorithm's children), so no path
 * reaches a venue around it. It only tightens: its denial is journaled when the gate accepts, and
 * the gate's own denial wins otherwise (as a SubmitOrder's `denial`).
 */
export interface SubmitScreen {
  /** undefined to go on, else the denial (synchronous when nothing needs waiting for). */
  screen(cmd: ScreenedCommand): PriorDenial | undefined | Promise<PriorDenial | undefined>;
  /** The command was refused as bad input (or the engine stopped) after `screen`: hand back what it took. */
  abandon(cmd: ScreenedCommand): void;
}

export function isScreened(cmd: Command): cmd is ScreenedCommand {
  // A submit that already carries a denial adds nothing: it will be journaled denied.
  return (cmd.kind === 'SubmitOrder' && cmd.denial === undefined) || cmd.kind === 'SubmitOrderList' || cmd.kind === 'ModifyOrder';
}

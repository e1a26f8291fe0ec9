/**
 * The engine's submit screen (src/engine/submit-screen.ts): asked about every submit, list and
 * modify, its denial journaled when the gate accepts (the gate's own wins), waited for when it
 * answers later, told to hand back what it took when the command is then refused as bad input,
 * and never asked about cancels or about a submit that already carries a denial.
 */
import { describe, expect, it } from 'vitest';
import type { PriorDenial } from '../../src/engine/commands.ts';
import type { ScreenedCommand, SubmitScreen } from '../../src/engine/submit-screen.ts';
import { BTC, kinds, limit, MaxNotionalGate, observe, recordsAfter, setup } from './fixtures.ts';

const NO_ROOM: PriorDenial = { code: 'FIRM_BUDGET_EXCEEDED', reason: 'no room', context: {} };

class RecordingScreen implements SubmitScreen {
  readonly asked: string[] = [];
  readonly abandoned: string[] = [];
  constructor(private readonly answer: (cmd: ScreenedCommand) => PriorDenial | undefined | Promise<PriorDenial | undefined>) {}
  screen(cmd: ScreenedCommand): PriorDenial | undefined | Promise<PriorDenial | undefined> {
    this.asked.push(cmd.kind);
    return this.answer(cmd);
  }
  abandon(cmd: ScreenedCommand): void {
    this.abandoned.push(cmd.kind);
  }
}

describe('the engine asks its submit screen before the gate', () => {
  it('journals the screen’s denial of an order, and a list’s denial for every order of it', async () => {
    const h = await setup();
    const screen = new RecordingScreen(() => NO_ROOM);
    h.engine.screenSubmits(screen);
    const seq = h.engine.lastSeq;
    const one = await h.engine.submitOrder(limit('s-1', 'BUY', '0.1', '24000'));
    expect(one.denied.map((d) => d.code)).toEqual(['FIRM_BUDGET_EXCEEDED']);
    const list = await h.engine.execute({ kind: 'SubmitOrderList', orderListId: 'L-1', orders: [limit('l-1', 'BUY', '0.1', '24000'), limit('l-2', 'BUY', '0.1', '23900')] });
    expect(list.denied.map((d) => [d.clientOrderId, d.code])).toEqual([
      ['l-1', 'FIRM_BUDGET_EXCEEDED'],
      ['l-2', 'FIRM_BUDGET_EXCEEDED'],
    ]);
    expect(kinds(recordsAfter(h.journal, seq))).toEqual(['OrderInitialized', 'OrderDenied', 'OrderInitialized', 'OrderDenied', 'OrderInitialized', 'OrderDenied']);
    expect(h.venue.calls).toHaveLength(0);
    expect(screen.asked).toEqual(['SubmitOrder', 'SubmitOrderList']);
  });

  it('waits for a screen that answers later, and the gate’s own denial wins over the screen’s', async () => {
    const h = await setup({ gate: new MaxNotionalGate(1000) });
    h.engine.screenSubmits(new RecordingScreen(() => new Promise((r) => setTimeout(() => r(NO_ROOM), 5))));
    const r = await h.engine.submitOrder(limit('big', 'BUY', '1', '24000'));
    expect(r.denied.map((d) => d.code)).not.toContain('FIRM_BUDGET_EXCEEDED');
    expect(r.denied).toHaveLength(1);
    const small = await h.engine.submitOrder(limit('small', 'BUY', '0.01', '24000'));
    expect(small.denied.map((d) => d.code)).toEqual(['FIRM_BUDGET_EXCEEDED']);
  });

  it('refuses a modify the screen denies with OrderModifyRejected, and lets one it accepts through', async () => {
    const h = await setup();
    let deny = false;
    h.engine.screenSubmits(new RecordingScreen((cmd) => (deny && cmd.kind === 'ModifyOrder' ? NO_ROOM : undefined)));
    expect((await h.engine.submitOrder(limit('m-1', 'BUY', '0.1', '24000'))).denied).toEqual([]);
    deny = true;
    const seq = h.engine.lastSeq;
    const r = await h.engine.modifyOrder('m-1', { quantity: '0.2' });
    expect(r.denied.map((d) => d.code)).toEqual(['FIRM_BUDGET_EXCEEDED']);
    expect(kinds(recordsAfter(h.journal, seq))).toEqual(['OrderModifyRejected']);
    deny = false;
    expect((await h.engine.modifyOrder('m-1', { quantity: '0.2' })).denied).toEqual([]);
  });

  it('tells the screen to hand back what it took when the command is bad input, and changes nothing', async () => {
    const h = await setup();
    const screen = new RecordingScreen(() => undefined);
    h.engine.screenSubmits(screen);
    const before = observe(h);
    await expect(h.engine.submitOrder({ ...limit('bad', 'BUY', '0.1', '24000'), accountId: 'NOPE' })).rejects.toMatchObject({ code: 'UNKNOWN_ACCOUNT' });
    expect(screen.abandoned).toEqual(['SubmitOrder']);
    expect(observe(h)).toEqual(before);
  });

  it('is not asked about cancels or a submit that carries its own denial; a second screen is refused; removed, it is asked no more', async () => {
    const h = await setup();
    const screen = new RecordingScreen(() => undefined);
    const off = h.engine.screenSubmits(screen);
    expect(() => h.engine.screenSubmits(new RecordingScreen(() => undefined))).toThrow(expect.objectContaining({ code: 'DUPLICATE_REGISTRATION' }));
    await h.engine.submitOrder(limit('c-1', 'BUY', '0.1', '24000'));
    await h.engine.cancelOrder('c-1');
    await h.engine.execute({ kind: 'SubmitOrder', order: limit('d-1', 'BUY', '0.1', '24000'), denial: NO_ROOM });
    expect(screen.asked).toEqual(['SubmitOrder']);
    off();
    await h.engine.submitOrder({ ...limit('e-1', 'BUY', '0.1', '24000'), instrumentId: BTC });
    expect(screen.asked).toEqual(['SubmitOrder']);
  });
});

import { describe, expect, it } from 'vitest';
import { algoSetup, BTC } from './harness.ts';

const parent = { accountId: 'A', instrumentId: BTC, side: 'BUY', quantity: '1', price: '99.00' } as const;

describe('iceberg slicing: one child of the display size on the book at a time', () => {
  it('1.0 shown 0.3 at a time (0.2 fills per bar): the book never holds more than one order of at most 0.3; children 0.3, 0.3, 0.3, 0.1; ends filled at 99', async () => {
    // 4% of a 5 BTC bar: 0.2 of ours per bar at most.
    const h = await algoSetup({ exchange: { maxBarVolumeShare: 0.04 } });
    await h.bar('100.00', '100.00', '100.00', '100.00', '5');
    await h.algos.start({ ...parent, kind: 'ICEBERG', parentId: 'I', displayQuantity: '0.3' });
    expect((await h.book()).map((o) => o.spec.quantity.toString())).toEqual(['0.300']);
    for (let i = 0; i < 8; i++) await h.bar('99.50', '99.60', '98.90', '99.20', '5');
    for (const book of h.books) {
      expect(book.length).toBeLessThanOrEqual(1);
      for (const o of book) expect((o.quantity ?? o.spec.quantity).cmp(h.inst.quantity('0.3'))).toBeLessThanOrEqual(0);
    }
    expect(h.sent().map((s) => s.split('@')[0])).toEqual(['I-1:0.300', 'I-2:0.300', 'I-3:0.300', 'I-4:0.100']);
    const p = h.algos.progress('I');
    expect(p).toMatchObject({ status: 'DONE', reason: 'FILLED', slicesSent: 4, slicesFilled: 4 });
    expect(p.filled.toString()).toBe('1.000');
    expect(p.averagePrice?.exact()?.toString()).toBe('99.00');
    expect(h.engine.order('I-4')?.spec).toMatchObject({ type: 'LIMIT', tags: ['algo', 'algo:ICEBERG'], parentOrderId: 'I' });
  });

  it('on a venue with native icebergs it sends one LIMIT order with the display quantity', async () => {
    const h = await algoSetup({ algos: { nativeIcebergVenues: ['SIM'] } });
    await h.bar('100.00');
    await h.algos.start({ ...parent, kind: 'ICEBERG', parentId: 'I', displayQuantity: '0.3' });
    expect(h.engine.order('I-1')?.spec).toMatchObject({ type: 'LIMIT' });
    expect(h.engine.order('I-1')?.spec.quantity.toString()).toBe('1.000');
    expect((h.engine.order('I-1')?.spec as { displayQuantity?: { toString(): string } }).displayQuantity?.toString()).toBe('0.300');
  });

  it('refuses a display above the total, and a last child that would be below the minimum', async () => {
    const h = await algoSetup();
    await expect(h.algos.start({ ...parent, kind: 'ICEBERG', parentId: 'I', displayQuantity: '2' })).rejects.toMatchObject({ code: 'DISPLAY_QTY_EXCEEDS_QUANTITY' });
    await expect(h.algos.start({ ...parent, quantity: '1.005', kind: 'ICEBERG', parentId: 'I', displayQuantity: '0.5' })).rejects.toMatchObject({ code: 'QUANTITY_BELOW_MIN' });
  });
});

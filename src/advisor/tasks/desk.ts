/**
 * The advisor desk: the tasks over a running node, as the API, the stream and the CLI use them.
 * Each task computes its facts from the node, asks the Consultant, and hands back advice with its
 * facts and consultation (or the reason there is none); the market and portfolio tasks' proposals
 * are journaled as pending tickets. With no model configured every task answers NOT_CONFIGURED
 * before computing anything, and nothing else changes.
 */
import type { Advice, AdvisorTask, Consultant, ModelTier } from '../consult.ts';
import { operatorOrigin, type Operator } from '../../engine/origin.ts';
import { SYSTEM } from '../../engine/origin.ts';
import type { TradingNode } from '../../node/trading-node.ts';
import { StateError, LookupError } from '../../model/errors.ts';
import { NO_MODEL, NOT_CONFIGURED_MESSAGE, resultOf, type TaskResult } from './common.ts';
import { collect, explainFacts, explainRequest, type ExplainFacts, type ExplainTarget, type Explanation } from './explain.ts';
import { marketFeatures, marketRequest, type MarketAdvice, type MarketFeatures } from './market.ts';
import { feedText, newsRequest, parseFeed, type NewsAdvice, type NewsFacts, type NewsSource } from './news.ts';
import { accountFor, BarHistory, candidatesOf, holdingsOf, recentBars, scopeOf, tradeContextOf } from './node-facts.ts';
import { portfolioFacts, portfolioRequest, type PortfolioAdvice, type PortfolioFacts } from './portfolio.ts';
import type { ProposalAnswer, ProposalScope } from './proposal-schema.ts';
import { ProposalBook, proposalIdOf, ticketOf, type Proposal, type ProposalTicket } from './proposals.ts';
import { measureSuggestions, strategiesRequest, strategyFacts, type MeasuredSuggestion, type StrategiesAdvice, type StrategyFact } from './strategies.ts';
import { GATE_OFF, reviewOrder, type AdvisorGateConfig, type GateDecision } from './trade-gate.ts';
import { tradeFacts, tradeRequest, type TradeAssessment, type TradeFacts, type TradeTicket } from './trade.ts';

/** What the desk publishes (the stream's `advice` and `proposal` messages). */
export type DeskEvent =
  | { readonly type: 'advice'; readonly task: AdvisorTask; readonly ok: boolean; readonly consultation?: string; readonly reason?: string; readonly summary?: string }
  | { readonly type: 'proposal'; readonly proposal: Proposal };

export interface DeskOptions {
  readonly tradeGate?: AdvisorGateConfig;
  /** How a news URL is fetched (default the global fetch). */
  readonly fetcher?: typeof fetch;
}

/** Thrown by a task when no model is configured for its tier (the surfaces answer NOT_CONFIGURED). */
export class NotConfigured extends Error {
  readonly code = 'NOT_CONFIGURED';
  constructor(readonly task: AdvisorTask) {
    super(NOT_CONFIGURED_MESSAGE);
  }
}

const TIERS: Readonly<Record<AdvisorTask, ModelTier>> = { market: 'fast', strategies: 'reasoning', trade: 'risk', portfolio: 'reasoning', news: 'fast', explain: 'fast' };

export class AdvisorDesk {
  readonly proposals = new ProposalBook();
  private readonly listeners = new Set<(e: DeskEvent) => void>();
  private readonly history: BarHistory;
  private readonly offs: (() => void)[] = [];
  readonly tradeGate: AdvisorGateConfig;

  private constructor(
    private readonly node: TradingNode,
    readonly consultant: Consultant,
    private readonly o: DeskOptions,
  ) {
    this.history = new BarHistory(node);
    this.tradeGate = o.tradeGate ?? GATE_OFF;
  }

  /** A desk over the node: its proposals folded from the whole journal, then kept live. */
  static async open(node: TradingNode, consultant: Consultant = NO_MODEL, o: DeskOptions = {}): Promise<AdvisorDesk> {
    const desk = new AdvisorDesk(node, consultant, o);
    const upTo = node.records.durableSeq();
    for await (const r of node.records.read(1)) {
      if (r.seq > upTo) break;
      desk.proposals.apply(r);
    }
    desk.offs.push(
      node.engine.bus.subscribe('record', (r) => {
        if (r.seq <= upTo) return;
        const changed = desk.proposals.apply(r);
        if (changed) desk.emit({ type: 'proposal', proposal: changed });
      }),
    );
    return desk;
  }

  /** Whether a task has a model (its tier's, or the reasoning tier's). */
  configured(task: AdvisorTask): boolean {
    return this.consultant.configured(TIERS[task]);
  }

  subscribe(listener: (e: DeskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: DeskEvent): void {
    for (const l of this.listeners) l(e);
  }

  private require(task: AdvisorTask): void {
    if (!this.configured(task)) throw new NotConfigured(task);
  }

  private told<T extends object, F>(r: TaskResult<T, F>): TaskResult<T, F> {
    const summary = r.ok && 'summary' in r.advice && typeof r.advice.summary === 'string' ? r.advice.summary : r.ok && 'headline' in r.advice ? String(r.advice.headline) : undefined;
    this.emit({ type: 'advice', task: r.task, ok: r.ok, ...(r.consultation ? { consultation: r.consultation.id } : {}), ...(!r.ok ? { reason: r.reason } : {}), ...(summary ? { summary } : {}) });
    return r;
  }

  async market(instrumentId: string, bars = 300): Promise<TaskResult<MarketAdvice, MarketFeatures> & { proposals?: Proposal[] }> {
    this.require('market');
    const features = marketFeatures(await recentBars(this.node, this.history, instrumentId, bars));
    const scope = scopeOf(this.node);
    const advice = await this.consultant.consult(marketRequest(features, scope));
    const proposals = advice.ok ? await this.propose(advice.record.id, advice.value.proposals, scope) : [];
    return { ...this.told(resultOf('market', advice, features)), ...(advice.ok ? { proposals } : {}) };
  }

  async portfolio(bars = 300): Promise<TaskResult<PortfolioAdvice, PortfolioFacts> & { proposals?: Proposal[] }> {
    this.require('portfolio');
    const { holdings, equity } = await holdingsOf(this.node, this.history, bars);
    const facts = portfolioFacts(holdings, equity);
    const scope = scopeOf(this.node);
    const advice = await this.consultant.consult(portfolioRequest(facts, scope));
    const proposals = advice.ok ? await this.propose(advice.record.id, advice.value.proposals, scope) : [];
    return { ...this.told(resultOf('portfolio', advice, facts)), ...(advice.ok ? { proposals } : {}) };
  }

  async strategies(only?: readonly string[], bars = 600): Promise<TaskResult<Omit<StrategiesAdvice, 'suggestions'> & { suggestions: MeasuredSuggestion[] }, StrategyFact[]>> {
    this.require('strategies');
    const candidates = await candidatesOf(this.node, this.history, bars, only);
    const facts = await strategyFacts(candidates);
    const advice = await this.consultant.consult(strategiesRequest(facts));
    if (!advice.ok) return this.told(resultOf('strategies', advice as Advice<never>, facts));
    const suggestions = await measureSuggestions(candidates, advice.value.suggestions);
    return this.told(resultOf('strategies', { ...advice, value: { ...advice.value, suggestions } }, facts));
  }

  /** The assessment of a ticket; `gate` is the risk gate's verdict on it (checked without sending). */
  async trade(ticket: TradeTicket, gate: TradeFacts['gate'], bars = 300): Promise<TaskResult<TradeAssessment, TradeFacts>> {
    this.require('trade');
    return this.told(resultOf('trade', ...(await this.assess(ticket, gate, bars))));
  }

  private async assess(ticket: TradeTicket, gate: TradeFacts['gate'], bars: number): Promise<[Advice<TradeAssessment>, TradeFacts]> {
    const features = await recentBars(this.node, this.history, ticket.instrumentId, bars)
      .then((b) => marketFeatures(b))
      .catch(() => undefined);
    const facts = tradeFacts(ticket, { ...tradeContextOf(this.node, ticket, gate), ...(features ? { features } : {}) });
    return [await this.consultant.consult(tradeRequest(facts)), facts];
  }

  /** The advisor's word on an order the risk gate would accept or deny (src/advisor/tasks/trade-gate.ts): only ever stricter. */
  reviewOrder(ticket: TradeTicket, gateAccepts: boolean): Promise<GateDecision> {
    return reviewOrder(this.tradeGate, this.consultant, gateAccepts, async () => {
      const [advice] = await this.assess(ticket, { allowed: true }, 300);
      return advice;
    });
  }

  async news(source: NewsSource, symbols?: readonly string[]): Promise<TaskResult<NewsAdvice, NewsFacts>> {
    this.require('news');
    const items = parseFeed(await feedText(source, this.o.fetcher));
    const e = this.node.engine;
    const ids = scopeOf(this.node).instruments.filter((id) => !symbols || symbols.includes(id));
    const facts: NewsFacts = { instruments: ids.map((id) => ({ instrumentId: id, base: e.instrument(id).base?.code ?? null })), items };
    return this.told(resultOf('news', await this.consultant.consult(newsRequest(facts)), facts));
  }

  async explain(target: ExplainTarget): Promise<TaskResult<Explanation, ExplainFacts>> {
    this.require('explain');
    const facts = explainFacts(await collect(this.node.records.read(1)), target);
    return this.told(resultOf('explain', await this.consultant.consult(explainRequest(facts)), facts));
  }

  /** Journals each valid proposal of an answer as a pending ticket (never an order). */
  private async propose(consultation: string, answers: readonly ProposalAnswer[], scope: ProposalScope): Promise<Proposal[]> {
    const out: Proposal[] = [];
    for (const [i, a] of answers.entries()) {
      const t = ticketOf(a, scope, (id) => accountFor(this.node, id));
      if (!t) continue;
      const proposalId = proposalIdOf(consultation, i);
      await this.node.engine.recordProposal({ kind: 'AdvisorProposed', proposalId, consultation, action: t.action, ticket: JSON.stringify(t.ticket), rationale: a.rationale }, SYSTEM);
      const p = this.proposals.get(proposalId);
      if (p) out.push(p);
    }
    return out;
  }

  /**
   * A trader confirms: the ticket is submitted by `submit` (the API's normal path: the risk gate,
   * then the advisor's trade gate) under the proposal's id, with the operator and the consultation
   * in its origin. Once only: a second confirm, or one after a reject, is PROPOSAL_RESOLVED.
   */
  async confirm<R>(proposalId: string, operator: Operator, submit: (ticket: ProposalTicket & { clientOrderId: string; tags: string[] }, origin: ReturnType<typeof operatorOrigin>) => Promise<R>): Promise<R> {
    const p = this.pending(proposalId);
    if (!this.proposals.claim(proposalId)) throw new StateError('PROPOSAL_RESOLVED', `proposal ${proposalId} is being confirmed already`, { proposalId });
    try {
      return await submit({ ...p.ticket, clientOrderId: p.proposalId, tags: [`advisor:${p.consultation}`] }, operatorOrigin(operator, p.consultation));
    } finally {
      this.proposals.release(proposalId);
    }
  }

  async reject(proposalId: string, operator: Operator, reason: string): Promise<Proposal> {
    this.pending(proposalId);
    await this.node.engine.recordProposal({ kind: 'AdvisorProposalRejected', proposalId, reason }, operatorOrigin(operator));
    return this.proposals.get(proposalId)!;
  }

  private pending(proposalId: string): Proposal {
    const p = this.proposals.get(proposalId);
    if (!p) throw new LookupError('UNKNOWN_PROPOSAL', `no advisor proposal ${proposalId}`, { proposalId });
    if (p.status !== 'PENDING') throw new StateError('PROPOSAL_RESOLVED', `proposal ${proposalId} is ${p.status.toLowerCase()} already`, { proposalId, status: p.status });
    return p;
  }

  close(): void {
    for (const off of this.offs) off();
    this.history.close();
    this.listeners.clear();
  }
}

/** Several nodes as one firm (issue 19): the NATS link, journaled events on JetStream, the firm view. */
export { NatsLink, type NatsLinkEvent, type NatsLinkListener, type NatsLinkOptions, type NatsLinkState } from './nats/connection.ts';
export { EventPublisher, type EventPublisherOptions, type PublisherStatus, type PublisherState } from './events/publisher.ts';
export { FirmFeed, decodeFirmMessage, type FirmEvent, type FirmFeedOptions } from './events/feed.ts';
export { ensureEventStream, DEFAULT_DUPLICATE_WINDOW_MS, type EventStreamOptions } from './events/stream.ts';
export { lastPublishedSeq } from './events/resume.ts';
export * as subjects from './events/subjects.ts';
export { FirmView, type FirmNodeSummary } from './firm-view/firm-view.ts';
export { attachCluster, type ClusterAttachment } from './attach.ts';

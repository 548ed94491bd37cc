/** Russian Post tracking (tracking.russianpost.ru rtm34 and fc): SOAP answers, operation codes, item state. */
export { parsePostTracking, ruDateTime, POST_TRACKING_PARSER, type PostTrackingParseContext } from './post-tracking.parser.ts';
export { summarizeOperations, type ItemSummary } from './item-state.ts';
export { OPERATION_TYPES, OPERATION_ATTRS, DELIVERY_TO_SENDER_ATTRS, operationTypeName, operationAttrName, type CodeName } from './operation-codes.ts';

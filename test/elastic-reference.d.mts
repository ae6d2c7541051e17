// Types of test/elastic-reference.mjs.
export function agentEvent(xml: string): Record<string, any>;
export function integrationDocument(xml: string): Record<string, any>;

#!/usr/bin/env node
// Ships WFP block events as OpenTelemetry logs with the official OpenTelemetry JS SDK: a
// LoggerProvider whose resource names the service and the host, a batch processor, and the
// OTLP/HTTP exporter (to a Collector's otlphttp receiver, or any OTLP/HTTP endpoint).
//
//   node agent.mjs [--endpoint http://127.0.0.1:4318/v1/logs] [--replay FILE|DIR ...] [--include-allowed]
//
// Without --replay it watches the live Security log (Windows). Ctrl+C (or the end of a replay)
// flushes what is batched and exits.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { toOtelLogRecord, watchBlocks } from 'wfp-blocks';
import pkg from 'wfp-blocks/package.json' with { type: 'json' };

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string', default: process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ?? 'http://127.0.0.1:4318/v1/logs' },
    replay: { type: 'string', multiple: true },
    'include-allowed': { type: 'boolean', default: false },
    'service-name': { type: 'string', default: 'wfp-blocks' },
  },
});

const provider = new LoggerProvider({
  resource: resourceFromAttributes({ 'service.name': values['service-name'], 'host.name': os.hostname() }),
  processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: values.endpoint }), scheduledDelayMillis: 500 })],
});
const logger = provider.getLogger('wfp-blocks', pkg.version);

const watcher = watchBlocks({
  source: values.replay ? { replay: values.replay } : 'eventlog',
  includeAllowed: values['include-allowed'],
});
watcher.on('block', (event) => {
  // The record's own host stays an attribute: the resource is the machine the agent runs on.
  logger.emit(toOtelLogRecord(event));
});
watcher.on('error', (error) => console.error(`otel-agent: ${error.message}`));
watcher.on('audit', (status) => status.status !== 'on' && console.error(`otel-agent: auditing is ${status.status}`));
const stop = () => void watcher.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
watcher.once('close', async () => {
  await provider.shutdown(); // flushes the batch
});

import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricUnit } from '@aws-lambda-powertools/metrics/types';
import {
  JOB_TYPE_DIMENSION,
  METRICS_NAMESPACE,
  SERVICE_NAME,
  STAGE_DIMENSION,
  type MetricDefinition,
} from '@merchantops/core/resources/monitoring';
import { log, logContext, type LogFields } from './log';

export type MetricValues = [MetricDefinition, number][];
/** Takes the EMF record instead of stdout (tests); by default Powertools writes it to stdout. */
export type MetricSink = (record: LogFields) => void;

/** The stage metrics are recorded under: STAGE (set by the SST infra), else "local". */
export const metricsStage = () => process.env.STAGE || 'local';

/**
 * Powertools Metrics. Its default `service` dimension is replaced by Stage:
 * the dashboard and alarms (infra/monitoring.ts) read the metrics by Stage and
 * by Stage and JobType only; `service` rides along as metadata.
 */
const emf = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

/**
 * Writes one record in CloudWatch's embedded metric format (EMF): a JSON line
 * on stdout that CloudWatch Logs turns into metrics, with no API call from the
 * function. Metrics go by stage, and also by stage and job type when `jobType`
 * is given. `properties` (job id, tenant, chunk, ...) and the fields of the
 * current log context ride along as metadata: searchable, never dimensions.
 * Values that are not finite numbers are left out; with none left, nothing is
 * written. Never throws: a metric must not fail the work it measures.
 *
 * The record is built and written in one synchronous step, so the records of
 * concurrently processed messages never mix in the shared Metrics instance.
 */
export function emitMetrics(values: MetricValues, jobType: string | undefined, properties: LogFields = {}, sink?: MetricSink): void {
  const kept = values.filter(([, value]) => Number.isFinite(value));
  if (kept.length === 0) return;
  try {
    // Stage is the default dimension, so every dimension set holds it: with a job type, the
    // regular dimensions give [Stage, JobType] and an empty set adds [Stage]; without, [Stage].
    emf.clearDefaultDimensions();
    emf.setDefaultDimensions({ [STAGE_DIMENSION]: metricsStage() });
    if (jobType) emf.addDimension(JOB_TYPE_DIMENSION, jobType).addDimensions({});
    const metadata: LogFields = { service: SERVICE_NAME, ...logContext(), ...properties };
    for (const [key, value] of Object.entries(metadata)) {
      // Metadata is typed as strings, but EMF keeps any JSON value (numbers, booleans) as it is.
      if (value !== undefined && key !== STAGE_DIMENSION && key !== JOB_TYPE_DIMENSION) emf.addMetadata(key, value as string);
    }
    for (const [metric, value] of kept) emf.addMetric(metric.name, metric.unit as MetricUnit, value);
    if (sink) sink(emf.serializeMetrics());
    else emf.publishStoredMetrics();
  } catch (error) {
    // stdout (or the given sink) refused the record; the metric is lost, the work goes on.
    log('warn', 'metric record not written', { error: (error as Error)?.message });
  } finally {
    emf.clearMetrics();
    emf.clearDimensions();
    emf.clearMetadata();
  }
}

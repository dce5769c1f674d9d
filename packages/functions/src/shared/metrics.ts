import {
  JOB_TYPE_DIMENSION,
  METRICS_NAMESPACE,
  SERVICE_NAME,
  STAGE_DIMENSION,
  type MetricDefinition,
} from '@merchantops/core/resources/monitoring';
import { logContext, writeLine, type LogFields } from './log';

export type MetricValues = [MetricDefinition, number][];
export type MetricSink = (record: LogFields) => void;

/** The stage metrics are recorded under: STAGE (set by the SST infra), else "local". */
export const metricsStage = () => process.env.STAGE || 'local';

/**
 * Writes one record in CloudWatch's embedded metric format (EMF): a JSON log
 * line that CloudWatch Logs turns into metrics, with no API call from the
 * function. Metrics go by stage, and also by stage and job type when
 * `jobType` is given. `properties` (job id, tenant, chunk, ...) and the fields
 * of the current log context ride along as searchable, non-dimension fields.
 * Values that are not finite numbers are left out; with none left, nothing is
 * written. Never throws: a metric must not fail the work it measures.
 */
export function emitMetrics(
  values: MetricValues,
  jobType: string | undefined,
  properties: LogFields = {},
  sink: MetricSink = writeLine,
): void {
  const kept = values.filter(([, value]) => Number.isFinite(value));
  if (kept.length === 0) return;
  const dimensions = jobType ? [[STAGE_DIMENSION, JOB_TYPE_DIMENSION], [STAGE_DIMENSION]] : [[STAGE_DIMENSION]];
  const record: LogFields = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: dimensions,
          Metrics: kept.map(([metric]) => ({ Name: metric.name, Unit: metric.unit })),
        },
      ],
    },
    service: SERVICE_NAME,
    ...logContext(),
    ...properties,
    [STAGE_DIMENSION]: metricsStage(),
    ...(jobType ? { [JOB_TYPE_DIMENSION]: jobType } : {}),
  };
  for (const [metric, value] of kept) record[metric.name] = value;
  try {
    sink(record);
  } catch {
    // stdout (or the given sink) refused the record; the metric is lost, the work goes on.
  }
}

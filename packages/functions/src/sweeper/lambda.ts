import { awsDeps } from '@merchantops/aws/deps';
import { jobTelemetry } from '../shared/job-metrics';
import { withRequestId } from '../shared/sqs-batch';
import { createSweeperHandler, sweeperSettings } from './handler';

/** Lambda entry of the scheduled sweeper (SST Cron): the event carries nothing it needs. */
const sweepNow = createSweeperHandler({ ...awsDeps(), events: jobTelemetry() }, sweeperSettings());
export const handler = withRequestId(async () => {
  await sweepNow();
});

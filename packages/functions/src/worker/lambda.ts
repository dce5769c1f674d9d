import { awsDeps } from '@merchantops/core/deps';
import { createWorkerHandler } from './handler';

export const handler = createWorkerHandler(awsDeps());

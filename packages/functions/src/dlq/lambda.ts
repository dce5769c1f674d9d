import { awsDeps } from '@merchantops/core/deps';
import { createDeadLetterHandler } from './handler';

export const handler = createDeadLetterHandler(awsDeps());

import type { JobType } from '../jobs/job';
import { enrichProducts } from './enrich-products';
import { exportProducts } from './export-products';
import { importProducts } from './import-products';
import type { Processor } from './processor';

export const processors: Record<JobType, Processor> = {
  import: importProducts,
  enrichment: enrichProducts,
  export: exportProducts,
};

import { jobStoreContract } from '../../../../../test/contracts/job-store.contract';
import { MemoryJobStore } from './memory-job-store';

jobStoreContract('MemoryJobStore', () => new MemoryJobStore());

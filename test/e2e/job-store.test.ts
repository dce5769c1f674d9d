import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { DynamoJobStore } from '@merchantops/aws/dynamo-job-store';
import { documentClient } from '@merchantops/aws/clients';
import { bootstrapResources } from '@merchantops/local/bootstrap';
import { localDynamo, localS3, localSqs } from '@merchantops/local/clients';
import { jobStoreContract } from '../contracts/job-store.contract';

/** The job store against DynamoDB Local: the guarantees the pipeline rests on (the cases are in the contract). */
jobStoreContract('DynamoJobStore', async () => {
  const dynamo = localDynamo(inject('dynamoEndpoint'));
  const clients = { dynamo, sqs: localSqs(inject('sqsEndpoint')), s3: localS3(inject('sqsEndpoint')) };
  const resources = await bootstrapResources(clients, `s${randomUUID().slice(0, 8)}`, 2);
  return new DynamoJobStore(documentClient(dynamo), resources.jobsTable);
});

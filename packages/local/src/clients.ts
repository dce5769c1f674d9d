import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { S3_CLIENT_DEFAULTS } from '@merchantops/aws/clients';

/** Emulators accept any credentials; fixed ones keep the SDK from looking for real ones. */
export const localClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

export const localDynamo = (endpoint: string) => new DynamoDBClient(localClientConfig(endpoint));
export const localSqs = (endpoint: string) => new SQSClient(localClientConfig(endpoint));
/** Path-style addressing: the emulator serves every bucket on one host. */
export const localS3 = (endpoint: string) =>
  new S3Client({ ...S3_CLIENT_DEFAULTS, ...localClientConfig(endpoint), forcePathStyle: true });

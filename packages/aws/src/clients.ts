import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * SDK clients. Endpoints come from the SDK's own settings, so the same code
 * talks to AWS in Lambda and to the emulators locally
 * (AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_S3).
 */
export function documentClient(client = new DynamoDBClient({})) {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Requests go to the client's endpoint, not the queue URL's host (which an emulator's URLs may not resolve). */
export const sqsClient = () => new SQSClient({ useQueueUrlAsEndpoint: false });

/**
 * Checksums only where S3 requires them: the SDK's default adds a CRC32 of
 * the (empty) body to presigned PUT URLs, and S3 then rejects the real upload.
 */
export const S3_CLIENT_DEFAULTS = { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;

export const s3Client = () => new S3Client({ ...S3_CLIENT_DEFAULTS });

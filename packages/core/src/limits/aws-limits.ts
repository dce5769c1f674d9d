/**
 * AWS service limits the pipeline designs for. The emulators enforce only some
 * of them, so the code checks each one itself (see storable.ts, chunk.ts and
 * the job store); docs/api.md ("What can be stored") documents them.
 */
export const dynamoLimits = {
  /** An item, attribute names included. */
  itemBytes: 400 * 1024,
  /** Nested maps and lists. */
  nestingLevels: 32,
  /** Largest and smallest magnitude of a number other than 0. */
  maxNumberMagnitude: 9.9999999999999999999999999999999999999e125,
  minNumberMagnitude: 1e-130,
  /** A TransactWriteItems call. */
  transactionActions: 100,
  transactionBytes: 4 * 1024 * 1024,
  /** Any one expression string (update, condition, projection...). */
  expressionBytes: 4 * 1024,
} as const;

export const sqsLimits = {
  /** MaximumMessageSize every queue sets explicitly (the provider default is 256 KiB). */
  messageBytes: 1024 * 1024,
  /** A SendMessageBatch call: entries and bodies together. */
  batchEntries: 10,
  batchBytes: 1024 * 1024,
} as const;

/**
 * The files bucket: uploads, inline jobs' inputs, export parts and results,
 * failure downloads.
 * One source of truth for the SST infra and the local bootstrap.
 */
export const filesBucket = {
  name: 'Files',
  /** Days before objects under each prefix are deleted (S3 lifecycle rules). */
  expireDays: { 'uploads/': 7, 'exports/': 30, 'failures/': 7, 'inputs/': 30 },
} as const;

/** The planner's queue message: which job to plan. */
export const encodePlanRequest = (jobId: string) => JSON.stringify({ plan: jobId });

export function decodePlanRequest(body: string): string {
  const value = JSON.parse(body) as { plan?: unknown };
  if (typeof value?.plan !== 'string') throw new Error('not a plan request');
  return value.plan;
}

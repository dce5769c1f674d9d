import type { Failure, FailureList } from '@merchantops/client/client';
import { formatCount } from '@merchantops/client/progress-meter';
import { useEffect, useRef, useState } from 'hono/jsx/dom';
import type { PageContext } from './context';
import { useMounted } from './use-mounted';

const FAILURES_PAGE = 20;

interface Shown {
  index: number;
  items: Failure[];
  hasNext: boolean;
}

/**
 * The failed items of a job, a page at a time; the cursors of the pages seen
 * so far allow going back. The first page is loaded again when `failed` changes.
 */
export function FailedItems({ page, jobId, failed }: { page: PageContext; jobId: string; failed: number }) {
  const [shown, setShown] = useState<Shown | null>(null);
  const cursors = useRef<(string | undefined)[]>([undefined]);
  const index = useRef(0);
  const failedNow = useRef(failed);
  failedNow.current = failed;
  const mounted = useMounted();

  async function load(next: number) {
    let list: FailureList;
    try {
      list = await page.client.listFailures(jobId, { limit: FAILURES_PAGE, cursor: cursors.current[next] });
    } catch (error) {
      page.reportError(error);
      return;
    }
    if (!mounted.current) return;
    index.current = next;
    cursors.current[next + 1] = list.nextCursor ?? undefined;
    cursors.current.length = next + 2;
    // a cursor after the last failure leads to an empty page: not worth a button
    const hasNext = list.nextCursor !== null && next * FAILURES_PAGE + list.failures.length < failedNow.current;
    setShown({ index: next, items: list.failures, hasNext });
  }

  useEffect(() => {
    if (index.current === 0) void load(0);
  }, [failed]);

  if (!shown) return null;
  const first = shown.index * FAILURES_PAGE;
  if (!shown.items.length && first === 0) return <p class="muted">No failed items.</p>;
  return (
    <div class="table-wrap">
      <FailuresTable items={shown.items} />
      <Pager first={first} count={shown.items.length} total={failed} hasPrevious={shown.index > 0} hasNext={shown.hasNext} onPage={(step) => void load(shown.index + step)} />
    </div>
  );
}

const sku = (item: unknown) => {
  const value = (item as { sku?: unknown } | null)?.sku;
  return typeof value === 'string' ? <code>{value}</code> : <span class="muted">–</span>;
};

export function FailuresTable({ items }: { items: Failure[] }) {
  return (
    <table class="stack failures" aria-labelledby="failures-title">
      <thead>
        <tr>
          {['Item #', 'Line', 'SKU', 'Reason', 'Attempts'].map((name) => (
            <th scope="col">{name}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((failure) => (
          <tr key={failure.index} data-index={failure.index}>
            <td data-label="Item #" class="num">
              {formatCount(failure.index)}
            </td>
            <td data-label="Line" class="num">
              {failure.line ? formatCount(failure.line) : '–'}
            </td>
            <td data-label="SKU">{sku(failure.item)}</td>
            <td data-label="Reason" class="reason">
              {failure.reason}
            </td>
            <td data-label="Attempts" class="num">
              {failure.attempts ? formatCount(failure.attempts) : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface PagerProps {
  first: number;
  count: number;
  total: number;
  hasPrevious: boolean;
  hasNext: boolean;
  /** -1 for the previous page, 1 for the next. */
  onPage: (step: -1 | 1) => void;
}

export function Pager({ first, count, total, hasPrevious, hasNext, onPage }: PagerProps) {
  return (
    <div class="pager">
      <span aria-live="polite">{`Items ${formatCount(first + 1)}–${formatCount(first + count)} of ${formatCount(total)}`}</span>
      <button type="button" class="button button--small" disabled={!hasPrevious} onClick={() => onPage(-1)}>
        ← Previous
      </button>
      <button type="button" class="button button--small" disabled={!hasNext} onClick={() => onPage(1)}>
        Next →
      </button>
    </div>
  );
}

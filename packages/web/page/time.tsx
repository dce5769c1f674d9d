const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** <time> with the exact time as its title: today's times as hh:mm:ss, older ones with the date. */
export function Time({ iso }: { iso: string | null }) {
  if (!iso) return <span class="muted">–</span>;
  const date = new Date(iso);
  return (
    <time datetime={iso} title={full.format(date)}>
      {sameDay(date, new Date()) ? timeOnly.format(date) : dateTime.format(date)}
    </time>
  );
}

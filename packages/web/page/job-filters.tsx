import { JOB_STATUSES, JOB_TYPES } from '@merchantops/core/jobs/job';
import { typeName } from './format';
import { listHash, type Filters } from './route';

const capitalized = (word: string) => word[0].toUpperCase() + word.slice(1);

interface ChoiceProps {
  label: string;
  name: string;
  value: string;
  /** What "no filter" is called. */
  all: string;
  options: { value: string; text: string }[];
}

function Choice({ label, name, value, all, options }: ChoiceProps) {
  return (
    <label>
      {label}
      <select name={name} value={value}>
        <option value="">{all}</option>
        {options.map((option) => (
          <option value={option.value}>{option.text}</option>
        ))}
      </select>
    </label>
  );
}

/** Type and status filters; a change moves to the filtered list's address. */
export function JobFilters({ filters }: { filters: Filters }) {
  const onChange = (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLSelectElement).value;
    location.hash = listHash({ type: value('type'), status: value('status') });
  };
  return (
    <form id="filters" class="filters" aria-label="Filter jobs" onChange={onChange}>
      <Choice label="Type" name="type" value={filters.type ?? ''} all="All types" options={JOB_TYPES.map((type) => ({ value: type, text: typeName(type) }))} />
      <Choice
        label="Status"
        name="status"
        value={filters.status ?? ''}
        all="All statuses"
        options={JOB_STATUSES.map((status) => ({ value: status, text: capitalized(status) }))}
      />
    </form>
  );
}

import { badUserInput } from './errors.js';

/** A `[from, to)` filter whose end comes before its start matches nothing: say so instead. */
export function assertRange(from: Date | null | undefined, to: Date | null | undefined, names: [string, string]): void {
  if (from && to && from >= to) {
    throw badUserInput(`\`${names[0]}\` must be before \`${names[1]}\` (the range includes \`${names[0]}\` and excludes \`${names[1]}\`).`, {
      argument: names[0],
    });
  }
}

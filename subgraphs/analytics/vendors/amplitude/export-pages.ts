import type { Page } from '../../../../sync/connector.js';
import { letIoRun, SLICE } from '../../../../sync/slices.js';
import { decodeEvents, type ExportFile } from './export-archive.js';
import { HOUR_MS } from './hours.js';

/** Every upload hour before `from` is stored whole: the next run starts there. */
export interface EventsCursor { from: string }

/**
 * Fills pages of about `pageSize` events from exports, whole upload hours at a time (an hour bigger
 * than a page is split), each page's cursor after its last whole hour. Files are decompressed only
 * when their turn comes, and I/O runs between slices of events: the page before is being stored
 * meanwhile, and its statements should not wait on this. An hour's files go with the first page of
 * its events, as payloads: kept whole before the cursor passes the hour, and kept again when the
 * hour is read again.
 */
export class PageFiller {
  private records: unknown[] = [];
  private payloads: ExportFile[] = [];
  /** The last upload hour the events so far cover entirely; null when it is not known (mid-hour, a file not named by hour). */
  private through: number | null = null;

  constructor(private readonly pageSize: number, private readonly cursorAt: (hour: number) => EventsCursor) {}

  private isEmpty(): boolean {
    return !this.records.length && !this.payloads.length;
  }

  /**
   * An empty range up to the upload hour `end`: with nothing waiting to be stored, a page of no events
   * that moves the cursor over it at once; else null, and the page waiting covers it too.
   */
  coverEmptyRange(end: number): Page<EventsCursor> | null {
    if (this.isEmpty()) return this.take(end);
    this.through = end;
    return null;
  }

  /** What is left once the last export is read, if anything. */
  rest(): Page<EventsCursor> | null {
    return this.isEmpty() ? null : this.take(this.through);
  }

  /** An export's files (ranging to the upload hour `end`): the pages they fill. */
  async* add(files: ExportFile[], end: number): AsyncIterable<Page<EventsCursor>> {
    for (let i = 0; i < files.length;) {
      const hour = files[i].hour;
      let j = i + 1;
      while (hour !== null && j < files.length && files[j].hour === hour) j++;
      const group = files.slice(i, j);
      this.payloads.push(...group);
      for (const file of group) {
        for (const event of decodeEvents(file)) {
          this.records.push(event);
          if (this.records.length % SLICE === 0) await letIoRun();
          // Mid-hour, a full page carries no cursor: a resumed run reads that hour again.
          if (this.records.length >= this.pageSize * 2) yield this.take(null);
        }
      }
      i = j;
      this.through = i === files.length ? end : hour;
      if (this.records.length >= this.pageSize) yield this.take(this.through);
    }
  }

  /** The page so far, its cursor after the hour `through` (none when null). */
  private take(through: number | null): Page<EventsCursor> {
    const page = { records: this.records, cursor: through === null ? null : this.cursorAt(through + HOUR_MS), payloads: this.payloads };
    this.records = [];
    this.payloads = [];
    return page;
  }
}

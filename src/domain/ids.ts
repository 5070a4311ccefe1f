import { v7 } from 'uuid';

/** A new time-ordered id (UUIDv7): inserts land at the right edge of the index and ids sort by time. */
export const newId = (): string => v7();
